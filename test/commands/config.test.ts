import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { fetchJson } from '../../src/report/fetch-json.js'
import { errorText, useCliSandbox } from '../helpers/run-cli.js'

type QueryJson = ReturnType<typeof fetchJson>

const QUESTION = 'what is dna'

describe('asteria configuration', () => {
  const cli = useCliSandbox()

  function writeProjectConfig(settings: Record<string, unknown>): string {
    const file = join(cli.dir, 'asteria.config.json')
    writeFileSync(file, JSON.stringify(settings))
    return file
  }

  it('takes the namespace from the project file, the environment over it, and a flag over both', async () => {
    // Given a user config (namespace "user") and a project config (namespace "proj") in the cwd
    mkdirSync(join(cli.dir, 'config'))
    writeFileSync(join(cli.dir, 'config', 'config.json'), JSON.stringify({ namespace: 'user' }))
    writeProjectConfig({ namespace: 'proj' })
    const db = (name: string) => ({ ASTERIA_DB: join(cli.dir, `${name}.sqlite`) })

    // When a question is asked with the files only, with ASTERIA_NAMESPACE set, and with --namespace too
    const [fromFile, fromEnv, fromFlag] = await Promise.all([
      cli.run(['query', QUESTION, '--json'], { env: db('file') }),
      cli.run(['query', QUESTION, '--json'], { env: { ...db('env'), ASTERIA_NAMESPACE: 'env' } }),
      cli.run(['query', QUESTION, '--json', '--namespace', 'flag'], { env: { ...db('flag'), ASTERIA_NAMESPACE: 'env' } }),
    ])

    // Then the element is stored under proj, env and flag respectively
    for (const run of [fromFile, fromEnv, fromFlag]) expect(run.exitCode, run.stderr).toBe(0)
    const namespaceOf = (run: { stdout: string }) => (JSON.parse(run.stdout) as QueryJson).element?.namespace
    expect([fromFile, fromEnv, fromFlag].map(namespaceOf)).toEqual(['proj', 'env', 'flag'])
  })

  it('exits 3 naming an unknown setting and the file it is in', async () => {
    // Given a project config with a misspelt key
    const file = writeProjectConfig({ namespace: 'proj', colour: true })

    // When any command reads the configuration
    const [human, json] = await Promise.all([cli.run(['query', QUESTION]), cli.run(['query', QUESTION, '--json'])])

    // Then it refuses to run, naming the key and the file
    expect(human.exitCode).toBe(3)
    expect(errorText(human.stderr)).toContain(`Unknown setting "colour" in ${file}`)
    expect(json.exitCode).toBe(3)
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'CONFIG', exitCode: 3, message: `Unknown setting "colour" in ${file}.` } })
  })

  it('accepts --no-color and prints no colour codes', async () => {
    // Given colour not disabled by the environment
    // When a question is asked with --no-color
    const run = await cli.run(['query', QUESTION, '--no-color'], { env: { NO_COLOR: '' } })

    // Then it runs and its output is plain text
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain('MISS')
    expect(run.stdout).not.toContain('\u001b[')
  })
})
