import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openStore } from '../../src/store/sqlite/sqlite-store.js'
import { errorText, useCliSandbox } from '../helpers/run-cli.js'
import { AUTHOR, AUTHOR_PARAPHRASE, call } from '../serve/service-fixture.js'
import { spawnServe, type ServeProcess } from '../serve/spawn-serve.js'

const TOKEN = 'serve-command-token-0123456789abcdef'

describe('asteria serve', () => {
  const cli = useCliSandbox()
  const running: ServeProcess[] = []
  afterEach(async () => {
    for (const serve of running.splice(0)) {
      if (serve.child.exitCode === null && serve.child.signalCode === null) serve.child.kill('SIGKILL')
      await serve.exited
    }
  })
  const serve = async (args: string[], env?: Record<string, string>) => {
    const started = await spawnServe(cli, args, env)
    running.push(started)
    return started
  }

  it('prints its URL, serves a paraphrase from the cache, and on SIGTERM exits 0 keeping what it stored', async () => {
    // Given `asteria serve --port 0 --json`
    const server = await serve([])

    // When a question and a paraphrase are fetched, and SIGTERM is sent
    const first = await call(server.url!, 'POST', '/v1/fetch', { json: { query: AUTHOR } })
    const second = await call(server.url!, 'POST', '/v1/fetch', { json: { query: AUTHOR_PARAPHRASE } })
    server.child.kill('SIGTERM')
    const exit = await server.exited

    // Then stdout had the URL, the paraphrase was a hit, and the process stopped cleanly with the element stored
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.stderr()).toContain(`Asteria is listening on ${server.url}`)
    expect(first.body).toMatchObject({ hit: false, source: 'remote' })
    expect(second.body).toMatchObject({ hit: true, source: 'cache', saved: { costUsd: 0.005 } })
    expect(exit).toEqual({ code: 0, signal: null })
    expect(server.stderr()).toContain('Stopping: closing the cache.')
    const store = openStore(cli.db)
    const elements = await store.all()
    await store.close()
    expect(elements.map((e) => e.query)).toEqual([AUTHOR])
  })

  it('on SIGINT finishes the request in flight before it exits', async () => {
    // Given a server whose source takes 400 ms, logging each request
    const server = await serve(['--log-level', 'info'], { ASTERIA_LATENCY_MS: '400' })

    // When a fetch is under way (its arrival is logged) and SIGINT is sent
    const answer = call(server.url!, 'POST', '/v1/fetch', { json: { query: AUTHOR } })
    await server.waitForStderr('incoming request')
    server.child.kill('SIGINT')
    const exit = await server.exited

    // Then the fetch was answered, the shutdown said it waited for it, and the exit was clean
    expect((await answer).body).toMatchObject({ source: 'remote', element: { query: AUTHOR } })
    expect(server.stderr()).toContain('Stopping: finishing 1 request in flight, then closing the cache.')
    expect(exit).toEqual({ code: 0, signal: null })
  })

  it('answers 400 naming the field for a body value of the wrong type, and pays for no remote call', async () => {
    // Given a running service
    const server = await serve([])

    // When a fetch sends a number as the query, and a string as noCache; while a query string stays text that is read as a number
    const number = await call(server.url!, 'POST', '/v1/fetch', { json: { query: 42 } })
    const flag = await call(server.url!, 'POST', '/v1/fetch', { json: { query: 'who wrote hamlet', noCache: 'yes' } })
    const sessions = await call(server.url!, 'GET', '/v1/sessions?limit=5')
    const stats = await call(server.url!, 'GET', '/v1/stats')

    // Then both bodies are refused as bad input that names the field, like an empty query; nothing reached the source
    expect(number).toMatchObject({ status: 400, body: { error: { code: 'BAD_INPUT', message: 'Expected a valid request: body/query must be string.' } } })
    expect(flag).toMatchObject({ status: 400, body: { error: { code: 'BAD_INPUT', message: 'Expected a valid request: body/noCache must be boolean.' } } })
    expect(sessions.status).toBe(200)
    expect(stats.body).toMatchObject({ requests: 0, remoteCalls: 0 })
  })

  it('requires the bearer token given in ASTERIA_TOKENS and confines it to its namespace', async () => {
    // Given a server with one token for namespace team-a
    const server = await serve([], { ASTERIA_TOKENS: `${TOKEN}=team-a` })

    // When a request comes without the token and with it
    const anonymous = await call(server.url!, 'GET', '/v1/stats')
    const stats = await call(server.url!, 'GET', '/v1/stats', { token: TOKEN })

    // Then the first is refused and the second sees team-a; the token never reaches the output
    expect(anonymous.status).toBe(401)
    expect(stats.body.namespace).toBe('team-a')
    expect(server.stderr()).toContain('1 bearer token, each confined to its namespace')
    expect(server.stderr()).not.toContain(TOKEN)
  })

  it('refuses to listen beyond loopback without a token (exit 3)', async () => {
    // Given no tokens
    // When serve is asked to listen on all addresses
    const run = await cli.run(['serve', '--host', '0.0.0.0', '--port', '0'])

    // Then it exits with the configuration code and says how to fix it
    expect(run.exitCode).toBe(3)
    expect(errorText(run.stderr)).toContain('Refusing to listen on 0.0.0.0 without a bearer token')
    expect(run.stdout).toBe('')
  })

  it('refuses a bad token file with a JSON error under --json (exit 3)', async () => {
    // Given a token file whose token is too short
    const file = join(cli.dir, 'tokens.json')
    writeFileSync(file, JSON.stringify({ short: 'team-a' }))

    // When serve is started with it
    const run = await cli.run(['serve', '--token-file', file, '--port', '0', '--json'])

    // Then the JSON error names the problem without the token
    expect(run.exitCode).toBe(3)
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'CONFIG', message: expect.stringContaining('at least 16 characters') })
    expect(run.stdout).not.toContain('"short"')
  })
})
