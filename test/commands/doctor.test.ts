import { readFileSync, writeFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import type { DoctorReport } from '../../src/doctor/run-doctor.js'
import { startOllamaServer, type OllamaTestServer } from '../helpers/ollama-server.js'
import { errorText, STACK_FRAME, useCliSandbox } from '../helpers/run-cli.js'

// Not SQLite: the header SQLite checks for ("SQLite format 3\0") is missing.
const GARBAGE = Buffer.from('this is not a database, just some bytes\n'.repeat(200))

describe('asteria doctor', () => {
  const cli = useCliSandbox()

  it('lists every part, warns that Ollama is not reachable, and exits 0', async () => {
    // Given a fresh cache and no Ollama listening (OLLAMA_HOST points at port 9)
    // When the doctor runs
    const run = await cli.run(['doctor', '--json'])

    // Then store, embedder, judge, source and ollama are checked; only ollama warns
    expect(run.exitCode).toBe(0)
    const report = JSON.parse(run.stdout) as DoctorReport
    expect(report.checks.map((c) => c.part)).toEqual(['store', 'shared tier', 'embedder', 'judge', 'source', 'ollama'])
    const status = Object.fromEntries(report.checks.map((c) => [c.part, c.status]))
    expect(status).toEqual({ store: 'ok', 'shared tier': 'embedded', embedder: 'embedded', judge: 'embedded', source: 'embedded', ollama: 'warn' })
    expect(report.checks.find((c) => c.part === 'store')?.detail).toContain(cli.db)
    expect(report.checks.find((c) => c.part === 'ollama')).toMatchObject({
      detail: expect.stringContaining('not reachable at http://127.0.0.1:9'),
      fix: expect.stringContaining('ollama serve'),
    })
    expect(report.ok).toBe(true)
  })

  it('reports a corrupt cache file as a store error, and query exits 5 naming the file', async () => {
    // Given a cache file full of garbage
    writeFileSync(cli.db, GARBAGE)

    // When the doctor runs, and a question is asked
    const [doctor, query] = await Promise.all([cli.run(['doctor', '--json']), cli.run(['query', 'what is dna'])])

    // Then the doctor marks the store as an error (and exits non-zero)
    const report = JSON.parse(doctor.stdout) as DoctorReport
    expect(report.checks.find((c) => c.part === 'store')).toMatchObject({ status: 'error', detail: expect.stringContaining(cli.db) })
    expect(report.ok).toBe(false)
    expect(doctor.exitCode).toBe(1)
    // And the query exits 5 with a message naming the file, without a stack trace
    expect(query.exitCode).toBe(5)
    expect(query.stdout).toBe('')
    expect(errorText(query.stderr)).toContain(`The cache file ${cli.db} is not a SQLite database or is corrupt`)
    expect(query.stderr).not.toMatch(STACK_FRAME)
  })

  it('never overwrites a small file that is not a cache, nor treats a folder as one (exit 5)', async () => {
    // Given a short text file where the cache file would be (SQLite alone would take it for an empty database)
    writeFileSync(cli.db, '\n')
    // When a question is asked against it, and against a folder
    const [tiny, folder] = await Promise.all([cli.run(['query', 'what is dna']), cli.run(['query', 'what is dna', '--db', cli.dir])])
    // Then both are store errors naming the path, and the file is untouched
    expect(tiny.exitCode).toBe(5)
    expect(errorText(tiny.stderr)).toContain(`The cache file ${cli.db} is not a SQLite database or is corrupt`)
    expect(readFileSync(cli.db, 'utf8')).toBe('\n')
    expect(folder.exitCode).toBe(5)
    expect(errorText(folder.stderr)).toContain(`Expected a cache file, but ${cli.dir} is a folder.`)
  })

  it('reports a bad setting as a failed check and still checks the rest, with every other setting as given (exit 1)', async () => {
    // Given a project config file with a value out of range next to a good one, and this test's own cache file
    writeFileSync(`${cli.dir}/asteria.config.json`, JSON.stringify({ agentMaxSteps: 0, source: 'docs' }))
    // When the doctor runs
    const run = await cli.run(['doctor', '--json'])
    // Then the setting is the first, failed check, and the usual parts follow
    expect(run.exitCode).toBe(1)
    const report = JSON.parse(run.stdout) as DoctorReport
    expect(report.checks[0]).toMatchObject({ part: 'config', status: 'error', detail: expect.stringMatching(/^Expected agentMaxSteps in .*asteria\.config\.json to be a whole number from 1 to 50, received 0 \(ignored: the checks below run without it\)$/) })
    expect(report.checks.map((c) => c.part)).toEqual(['config', 'store', 'shared tier', 'embedder', 'judge', 'source', 'ollama'])
    expect(report.ok).toBe(false)
    // And they ran on this cache file, with the file's good setting, and the file is listed
    expect(report.checks.find((c) => c.part === 'store')?.detail).toContain(cli.db)
    expect(report.checks.find((c) => c.part === 'source')?.detail).toMatch(/docs/)
    expect(report.configFiles).toEqual([expect.stringMatching(/asteria\.config\.json$/)])
  })

  it('lists a config file that is not valid JSON as a failed check', async () => {
    writeFileSync(`${cli.dir}/asteria.config.json`, '{ "tauSim": ')
    const report = JSON.parse((await cli.run(['doctor', '--json'])).stdout) as DoctorReport
    expect(report.checks[0]).toMatchObject({ part: 'config', status: 'error', detail: expect.stringMatching(/is not valid JSON/) })
    expect(report.configFiles).toHaveLength(1)
  })

  describe('with an Ollama server', () => {
    let server: OllamaTestServer | undefined
    afterEach(async () => {
      await server?.close()
      server = undefined
    })
    const ollamaCheck = (stdout: string) => (JSON.parse(stdout) as DoctorReport).checks.find((c) => c.part === 'ollama')

    it('finds it at OLLAMA_HOST written as the ollama command takes it: ":port" and "0.0.0.0:port"', async () => {
      // Given a server on a loopback port, named without a host, and by the bind-all address
      server = await startOllamaServer()
      const port = new URL(server.url).port
      // When the doctor runs with each
      const [bare, bindAll] = await Promise.all([`:${port}`, `0.0.0.0:${port}`].map((OLLAMA_HOST) => cli.run(['doctor', '--json'], { env: { OLLAMA_HOST } })))
      // Then both reach it on this machine
      for (const run of [bare, bindAll]) expect(ollamaCheck(run.stdout)).toMatchObject({ status: 'ok', detail: expect.stringContaining(`reachable at http://127.0.0.1:${port} (version 0.12.11)`) })
    })

    it('keeps --json output clean when OLLAMA_HOST is a web server that is not Ollama', async () => {
      // Given a server that answers every request with an HTML 404 page
      server = await startOllamaServer({ fail: () => ({ kind: 'status', status: 404, body: '<html><body>Not Found</body></html>', contentType: 'text/html' }) })
      // When the doctor runs
      const run = await cli.run(['doctor', '--json'], { env: { OLLAMA_HOST: server.url } })
      // Then stdout is the report alone, saying the host is not reachable as Ollama
      expect(ollamaCheck(run.stdout)).toMatchObject({ status: 'warn', detail: expect.stringContaining('Not Found') })
    })
  })
})
