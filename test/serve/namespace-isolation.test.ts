import { request as httpRequest } from 'node:http'
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { startService } from '../../src/serve/service.js'
import { openSessionLog } from '../../src/store/session-store.js'
import { AUTHOR, AUTHOR_PARAPHRASE, call, useService } from './service-fixture.js'

const TOKEN_A = 'token-of-team-a-0123456789abcdef'
const TOKEN_B = 'token-of-team-b-fedcba9876543210'
const TOKENS = { [TOKEN_A]: 'team-a', [TOKEN_B]: 'team-b' }

describe('startService with bearer tokens', () => {
  const start = useService()

  it('requires a known bearer token on every endpoint but the health probe', async () => {
    // Given a service with tokens
    const { url } = await start({ tokens: TOKENS })

    // When endpoints are called without a token, with an unknown one, and with a known one
    const paths = [['POST', '/v1/fetch'], ['POST', '/v1/lookup'], ['POST', '/v1/store'], ['GET', '/v1/stats'], ['GET', '/v1/elements'], ['GET', '/v1/elements/1'], ['DELETE', '/v1/elements/1'], ['GET', '/v1/sessions'], ['GET', '/search?q=x&format=json'], ['POST', '/mcp']]
    const anonymous = await Promise.all(paths.map(([method, path]) => call(url, method, path, { json: method === 'POST' ? { query: 'x' } : undefined })))
    const unknown = await call(url, 'GET', '/v1/stats', { token: 'not-a-token-of-this-service' })
    const known = await call(url, 'GET', '/v1/stats', { token: TOKEN_A })
    const health = await call(url, 'GET', '/healthz')

    // Then only the known token and the health probe get through
    expect(anonymous.map((a) => a.status)).toEqual(paths.map(() => 401))
    expect(anonymous[0].body.error).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('Authorization: Bearer') })
    expect(unknown.status).toBe(401)
    expect(known.status).toBe(200)
    expect(known.body.namespace).toBe('team-a')
    expect(health.status).toBe(200)
  })

  it("never serves one namespace's answer to another", async () => {
    // Given team A fetched a question (stored in its namespace)
    const { url } = await start({ tokens: TOKENS })
    const stored = await call(url, 'POST', '/v1/fetch', { token: TOKEN_A, json: { query: AUTHOR } })

    // When team B asks the same question, a paraphrase, and looks both up; and team A asks the paraphrase
    const bSame = await call(url, 'POST', '/v1/lookup', { token: TOKEN_B, json: { query: AUTHOR } })
    const bParaphrase = await call(url, 'POST', '/v1/fetch', { token: TOKEN_B, json: { query: AUTHOR_PARAPHRASE } })
    const aParaphrase = await call(url, 'POST', '/v1/fetch', { token: TOKEN_A, json: { query: AUTHOR_PARAPHRASE } })

    // Then team B never hits team A's element (its candidates never even include it); team A does
    expect(stored.body.element.namespace).toBe('team-a')
    expect(bSame.body.hit).toBe(false)
    expect(bSame.body.decision.candidates).toEqual([])
    expect(bParaphrase.body).toMatchObject({ hit: false, source: 'remote' })
    expect(bParaphrase.body.element.namespace).toBe('team-b')
    expect(aParaphrase.body).toMatchObject({ hit: true, source: 'cache' })
    expect(aParaphrase.body.element.id).toBe(stored.body.element.id)
  })

  it("hides another namespace's elements and statistics", async () => {
    // Given team A stored an element and made requests
    const { url } = await start({ tokens: TOKENS })
    const a = await call(url, 'POST', '/v1/store', { token: TOKEN_A, json: { query: AUTHOR, result: 'Jefferson' } })
    await call(url, 'POST', '/v1/lookup', { token: TOKEN_A, json: { query: AUTHOR } })
    const id = a.body.element.id

    // When team B lists, reads, deletes it, reads stats, and names team A's namespace
    const list = await call(url, 'GET', '/v1/elements', { token: TOKEN_B })
    const read = await call(url, 'GET', `/v1/elements/${id}`, { token: TOKEN_B })
    const missing = await call(url, 'GET', '/v1/elements/999999', { token: TOKEN_B })
    const del = await call(url, 'DELETE', `/v1/elements/${id}`, { token: TOKEN_B })
    const stats = await call(url, 'GET', '/v1/stats', { token: TOKEN_B })
    const named = await call(url, 'GET', '/v1/elements?namespace=team-a', { token: TOKEN_B })
    const storeIn = await call(url, 'POST', '/v1/store', { token: TOKEN_B, json: { query: 'x', result: 'y', namespace: 'team-a' } })
    const stillThere = await call(url, 'GET', `/v1/elements/${id}`, { token: TOKEN_A })

    // Then B sees nothing of A's: its element answers exactly like a missing one, and naming A's namespace is forbidden
    expect(list.body.elements).toEqual([])
    expect(read.status).toBe(404)
    expect(read.body.error.message).toBe(missing.body.error.message.replace('999999', String(id)))
    expect(del.status).toBe(404)
    expect(stats.body).toMatchObject({ namespace: 'team-b', requests: 0, summary: { elements: 0 } })
    expect(named.status).toBe(403)
    expect(named.body.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('confined to namespace "team-b"') })
    expect(storeIn.status).toBe(403)
    expect(stillThere.status).toBe(200)
  })

  it("lists the sessions `asteria run` recorded in the token's namespace only", async () => {
    // Given a session recorded in each namespace
    const { url, asteria } = await start({ tokens: TOKENS })
    const log = openSessionLog(asteria.store)
    const info = { startedAt: 1, agent: 'replay', taskSet: 'ad hoc', sources: { search: 'local' }, embedder: 'static', policy: 'guard' }
    const a = await log.start({ ...info, namespace: 'team-a' })
    await log.start({ ...info, namespace: 'team-b' })

    // When team A lists sessions
    const listed = await call(url, 'GET', '/v1/sessions', { token: TOKEN_A })

    // Then it sees its own session, in the shape of `asteria sessions --json`
    expect(listed.status).toBe(200)
    expect(listed.body).toEqual({ namespace: 'team-a', sessions: [expect.objectContaining({ id: a, namespace: 'team-a', status: 'running', taskSet: 'ad hoc' })] })
  })

  it('answers the SearXNG-compatible search in the token\'s namespace', async () => {
    // Given team A searched a question
    const { url } = await start({ tokens: TOKENS })
    await call(url, 'GET', `/search?q=${encodeURIComponent(AUTHOR)}&format=json`, { token: TOKEN_A })

    // When team A and team B search a paraphrase
    const a = await call(url, 'GET', `/search?q=${encodeURIComponent(AUTHOR_PARAPHRASE)}&format=json`, { token: TOKEN_A })
    const b = await call(url, 'GET', `/search?q=${encodeURIComponent(AUTHOR_PARAPHRASE)}&format=json`, { token: TOKEN_B })

    // Then only team A hits
    expect(a.body.asteria.hit).toBe(true)
    expect(b.body.asteria.hit).toBe(false)
  })

  it('never writes a token to its log, even at debug level and on failed attempts', async () => {
    // Given a service logging everything to a buffer
    let log = ''
    const stream = new Writable({ write: (chunk, _encoding, done) => ((log += String(chunk)), done()) })
    const { url } = await start({ tokens: TOKENS, logger: { level: 'debug', stream } })

    // When requests come with a good token, a wrong one, and an error
    await call(url, 'POST', '/v1/fetch', { token: TOKEN_A, json: { query: AUTHOR } })
    await call(url, 'GET', '/v1/stats', { token: TOKEN_B.slice(0, -1) + 'X' })
    await call(url, 'GET', '/v1/elements/0', { token: TOKEN_B })

    // Then the log has the requests but none of the tokens, nor any part of them
    expect(log).toContain('/v1/fetch')
    expect(log).not.toContain('token-of-team')
  })
})

describe('startService without tokens', () => {
  const start = useService()

  it('refuses a Host header that is not loopback (DNS rebinding)', async () => {
    // Given a service on loopback without tokens
    const { url } = await start()

    // When a request arrives with another Host header, as a rebinding page's would
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${url}/v1/stats`, { headers: { host: 'attacker.example:8787' } }, (res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (chunk) => (body += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
      req.on('error', reject).end()
    })

    // Then it is forbidden
    expect(answer.status).toBe(403)
    expect(JSON.parse(answer.body).error.code).toBe('FORBIDDEN')
  })

  it('refuses to listen beyond loopback', async () => {
    // Given no tokens
    // When the service is asked to listen on all addresses
    const starting = startService({} as never, { host: '0.0.0.0', port: 0 })

    // Then it refuses before listening, saying how to fix it
    await expect(starting).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringContaining('Refusing to listen on 0.0.0.0 without a bearer token') })
  })

  it('refuses a port already in use with a configuration error', async () => {
    // Given a service listening on a port
    const { service, asteria } = await start()

    // When a second service is started on the same port
    const second = startService(asteria, { port: service.port })

    // Then it says so and how to fix it
    await expect(second).rejects.toMatchObject({ code: 'CONFIG', message: `Port ${service.port} on 127.0.0.1 is already in use.`, suggestions: [expect.stringContaining('--port 0')] })
  })

  it('lets a loopback caller pick a namespace', async () => {
    // Given a service without tokens
    const { url } = await start()

    // When an answer is stored in namespace "project-x" and looked up there and in the default one
    await call(url, 'POST', '/v1/store', { json: { query: AUTHOR, result: 'Jefferson', namespace: 'project-x' } })
    const there = await call(url, 'POST', '/v1/lookup', { json: { query: AUTHOR, namespace: 'project-x' } })
    const defaultNs = await call(url, 'POST', '/v1/lookup', { json: { query: AUTHOR } })

    // Then it is found in its namespace only
    expect(there.body.hit).toBe(true)
    expect(defaultNs.body.hit).toBe(false)
  })
})
