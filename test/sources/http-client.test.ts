import { afterEach, describe, expect, it } from 'vitest'
import { AsteriaError } from '../../src/core/errors.js'
import { retryAfterMs, SourceHttpClient } from '../../src/sources/http-client.js'
import { recordingSleep, startJsonApiServer, type JsonApiServer } from './json-api-server.js'

let server: JsonApiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function failure(promise: Promise<unknown>): Promise<AsteriaError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(outcome).toBeInstanceOf(AsteriaError)
  return outcome as AsteriaError
}

describe('SourceHttpClient', () => {
  it('retries a 429 after the Retry-After the server asked for, then returns the JSON', async () => {
    // Given a server that rate-limits the first request with Retry-After: 3
    server = await startJsonApiServer((_, i) => (i === 0 ? { status: 429, json: { error: 'slow down' }, headers: { 'retry-after': '3' } } : { json: { ok: true } }))
    const sleep = recordingSleep()
    const client = new SourceHttpClient({ source: 'test', sleep, retries: 2 })
    // When a request is made
    const response = await client.json({ url: `${server.url}/search?q=x` })
    // Then it waited 3 s (on the injected sleep) and the second attempt answered
    expect(response.body).toEqual({ ok: true })
    expect(response.attempts).toBe(2)
    expect(sleep.waits).toEqual([3000])
  })

  it('backs off exponentially on 5xx and gives up after the bounded retries, naming the source', async () => {
    // Given a server that always fails with 503 and no Retry-After
    server = await startJsonApiServer(() => ({ status: 503, text: 'upstream down' }))
    const sleep = recordingSleep()
    const client = new SourceHttpClient({ source: 'searxng', sleep, retries: 3, backoffMs: 100 })
    // When a request is made
    const error = await failure(client.json({ url: `${server.url}/search` }))
    // Then it tried 4 times with doubling waits, and the error says who failed and what to do
    expect(server.requests).toHaveLength(4)
    expect(sleep.waits).toEqual([100, 200, 400])
    expect(error.code).toBe('SOURCE')
    expect(error.exitCode).toBe(7)
    expect(error.message).toMatch(/^The searxng source failed on its side: HTTP 503 .*upstream down.*gave up after 4 attempts/)
    expect(error.suggestions.join(' ')).toMatch(/ASTERIA_SOURCE=local/)
  })

  it('fails at once when Retry-After asks for longer than it will wait', async () => {
    server = await startJsonApiServer(() => ({ status: 429, json: {}, headers: { 'retry-after': '3600' } }))
    const sleep = recordingSleep()
    const error = await failure(new SourceHttpClient({ source: 'brave', sleep }).json({ url: server.url }))
    expect(server.requests).toHaveLength(1)
    expect(sleep.waits).toEqual([])
    expect(error.message).toMatch(/asks to wait 3600 s/)
  })

  it('does not retry a rejected key, and redacts the key wherever the server echoed it', async () => {
    // Given a server that quotes the key it received in its 401 message
    const key = 'tvly-SECRET-123'
    server = await startJsonApiServer((request) => ({ status: 401, json: { detail: `Invalid key ${String(request.headers.authorization)}` } }))
    const client = new SourceHttpClient({ source: 'tavily', secrets: [key], credentialsHint: 'Check TAVILY_API_KEY.', sleep: recordingSleep() })
    // When the request is made with that key
    const error = await failure(client.json({ url: `${server.url}/search`, method: 'POST', headers: { authorization: `Bearer ${key}` }, body: { query: 'q' } }))
    // Then one attempt, a message with the status and hint, and the key nowhere
    expect(server.requests).toHaveLength(1)
    expect(error.message).toContain('The tavily source rejected the request: HTTP 401')
    expect(error.suggestions).toEqual(['Check TAVILY_API_KEY.'])
    expect(JSON.stringify({ message: error.message, suggestions: error.suggestions, cause: error.cause })).not.toContain(key)
    expect(error.message).toContain('Bearer ***')
  })

  it('leaves the query string (keys, the user\'s question) out of errors', async () => {
    server = await startJsonApiServer(() => ({ status: 404, text: 'Not Found' }))
    const error = await failure(new SourceHttpClient({ source: 'http' }).json({ url: `${server.url}/api?q=private+question&key=abc` }))
    expect(error.message).toContain(`has no such endpoint: HTTP 404 from ${server.url}/api: Not Found`)
    expect(error.message).not.toContain('private')
    expect(error.message).not.toContain('abc')
  })

  it('times out a server that never answers, and retries within the bound', async () => {
    // Given a server that hangs and a 50 ms timeout with one retry
    server = await startJsonApiServer(() => 'hang')
    const sleep = recordingSleep()
    const client = new SourceHttpClient({ source: 'wikipedia', timeoutMs: 50, retries: 1, backoffMs: 10, sleep })
    // When a request is made
    const error = await failure(client.json({ url: `${server.url}/w/api.php` }))
    // Then both attempts timed out and the error says so
    expect(server.requests).toHaveLength(2)
    expect(sleep.waits).toEqual([10])
    expect(error.message).toMatch(/^The wikipedia source did not answer within 50 ms/)
    expect(error.suggestions.join(' ')).toMatch(/ASTERIA_SOURCE_TIMEOUT_MS/)
  })

  it('says when the server answered with something that is not JSON', async () => {
    server = await startJsonApiServer(() => ({ text: '<html>login page</html>' }))
    const error = await failure(new SourceHttpClient({ source: 'searxng' }).json({ url: server.url }))
    expect(error.message).toMatch(/with something that is not JSON \(text\/html\): <html>login page<\/html>/)
  })

  it('reports an unreachable server after its retries', async () => {
    // Given a port nothing listens on (a closed server)
    server = await startJsonApiServer(() => ({ json: {} }))
    const url = server.url
    await server.close()
    server = undefined
    const sleep = recordingSleep()
    const error = await failure(new SourceHttpClient({ source: 'searxng', retries: 1, sleep }).json({ url }))
    expect(sleep.waits).toHaveLength(1)
    expect(error.message).toMatch(/is not reachable at http:\/\/127\.0\.0\.1:\d+\/ \(ECONNREFUSED\)/)
  })

  it('stops when the caller aborts, with the caller\'s reason', async () => {
    server = await startJsonApiServer(() => 'hang')
    const controller = new AbortController()
    const pending = new SourceHttpClient({ source: 'test', timeoutMs: 10_000 }).json({ url: server.url, signal: controller.signal })
    controller.abort(new Error('cancelled by the agent'))
    await expect(pending).rejects.toThrow('cancelled by the agent')
  })
})

describe('retryAfterMs', () => {
  it('reads delta-seconds and HTTP dates, and ignores what it cannot read', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(retryAfterMs('2', now)).toBe(2000)
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000)
    expect(retryAfterMs('soon', now)).toBeUndefined()
    expect(retryAfterMs(null, now)).toBeUndefined()
  })
})
