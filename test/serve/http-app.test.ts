import { describe, expect, it } from 'vitest'
import type { Asteria } from '../../src/asteria.js'
import { MAX_QUERY_BYTES } from '../../src/core/query-limits.js'
import { STACK_FRAME } from '../helpers/run-cli.js'
import { AUTHOR, AUTHOR_PARAPHRASE, call, gate, useService } from './service-fixture.js'

const JEFFERSON = 'Thomas Jefferson drafted the Declaration of Independence.'
const HAMLET = { documents: [{ id: 'hamlet#0', title: 'Hamlet', text: 'Hamlet is a tragedy written by William Shakespeare.', url: 'https://en.wikipedia.org/wiki/Hamlet' }] }

describe('buildHttpApp: the JSON API', () => {
  const start = useService()

  it('serves a paraphrased second fetch from the cache, with what it saved', async () => {
    // Given a service over an empty cache
    const { url } = await start()

    // When a question is fetched, then a paraphrase of it
    const first = await call(url, 'POST', '/v1/fetch', { json: { query: AUTHOR } })
    const second = await call(url, 'POST', '/v1/fetch', { json: { query: AUTHOR_PARAPHRASE } })

    // Then the first went to the source and was stored; the second is a semantic hit on it
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ query: AUTHOR, hit: false, source: 'remote', costUsd: 0.005, saved: { latencyMs: 0, costUsd: 0 } })
    expect(second.status).toBe(200)
    expect(second.body).toMatchObject({ query: AUTHOR_PARAPHRASE, hit: true, source: 'cache', latencyMs: 0, costUsd: 0 })
    expect(second.body.decision).toMatchObject({ kind: 'semantic', elementId: first.body.element.id })
    expect(second.body.saved).toEqual({ latencyMs: first.body.latencyMs, costUsd: 0.005 })
    expect(second.body.result).toEqual(first.body.result)
  })

  it('looks up without calling the source: a miss, then a hit on what was stored', async () => {
    // Given a service over an empty cache
    const { url } = await start()

    // When a question is looked up, an answer is stored, and a paraphrase is looked up
    const miss = await call(url, 'POST', '/v1/lookup', { json: { query: AUTHOR } })
    const stored = await call(url, 'POST', '/v1/store', { json: { query: AUTHOR, result: JEFFERSON, costUsd: 0.01, latencyMs: 800, staticity: 10 } })
    const hit = await call(url, 'POST', '/v1/lookup', { json: { query: AUTHOR_PARAPHRASE } })

    // Then the miss has no result, the store is acknowledged with 201, and the paraphrase hits it
    expect(miss.status).toBe(200)
    expect(miss.body).toMatchObject({ hit: false, element: null, result: null, saved: { latencyMs: 0, costUsd: 0 } })
    expect(miss.body.decision.kind).toBe('miss')
    expect(stored.status).toBe(201)
    expect(stored.body.element).toMatchObject({ query: AUTHOR, namespace: 'default', tool: 'search', staticity: 10, costUsd: 0.01, origin: 'store' })
    expect(stored.body.element).not.toHaveProperty('embedding')
    expect(hit.body).toMatchObject({ hit: true, result: JEFFERSON, saved: { latencyMs: 800, costUsd: 0.01 } })
    expect(hit.body.element.id).toBe(stored.body.element.id)
  })

  it('keeps tools apart: an answer stored for one tool does not answer another', async () => {
    // Given an answer stored for the tool search_docs
    const { url } = await start()
    await call(url, 'POST', '/v1/store', { json: { query: 'who wrote hamlet', result: HAMLET, tool: 'search_docs' } })

    // When the same question is looked up for the default tool and for search_docs
    const other = await call(url, 'POST', '/v1/lookup', { json: { query: 'who wrote hamlet' } })
    const same = await call(url, 'POST', '/v1/lookup', { json: { query: 'who wrote hamlet', tool: 'search_docs' } })

    // Then only its own tool is served
    expect(other.body.hit).toBe(false)
    expect(same.body).toMatchObject({ hit: true, decision: { kind: 'exact' } })
  })

  it('reports stats of the namespace, without the server file path', async () => {
    // Given one miss and one hit
    const { url } = await start()
    await call(url, 'POST', '/v1/fetch', { json: { query: AUTHOR } })
    await call(url, 'POST', '/v1/fetch', { json: { query: AUTHOR_PARAPHRASE } })

    // When the stats are read
    const stats = await call(url, 'GET', '/v1/stats')

    // Then they count both requests and the saving
    expect(stats.status).toBe(200)
    expect(stats.body).toMatchObject({ namespace: 'default', requests: 2, hits: { exact: 0, semantic: 1, total: 1 }, misses: 1, hitRate: 0.5, remoteCalls: 1, costSavedUsd: 0.005 })
    expect(stats.body.summary.elements).toBe(1)
    expect(stats.body).not.toHaveProperty('location')
  })

  it('lists, shows and deletes elements by id', async () => {
    // Given two stored answers
    const { url } = await start()
    const a = await call(url, 'POST', '/v1/store', { json: { query: 'who wrote hamlet', result: HAMLET } })
    await call(url, 'POST', '/v1/store', { json: { query: 'who wrote macbeth', result: 'Shakespeare' } })

    // When they are listed (filtered), one is shown, then deleted, then shown again
    const list = await call(url, 'GET', '/v1/elements?search=hamlet&limit=10')
    const shown = await call(url, 'GET', `/v1/elements/${a.body.element.id}`)
    const deleted = await call(url, 'DELETE', `/v1/elements/${a.body.element.id}`)
    const gone = await call(url, 'GET', `/v1/elements/${a.body.element.id}`)

    // Then each answer has the CLI's shape, and the deleted element is not found
    expect(list.body.elements.map((e: { query: string }) => e.query)).toEqual(['who wrote hamlet'])
    expect(shown.status).toBe(200)
    expect(shown.body.element).toMatchObject({ id: a.body.element.id, query: 'who wrote hamlet', expired: false })
    expect(shown.body.neighbours).toEqual([{ id: expect.any(Number), query: 'who wrote macbeth', similarity: expect.any(Number) }])
    expect(deleted.body).toEqual({ deleted: 1, ids: [a.body.element.id] })
    expect(gone.status).toBe(404)
    expect(gone.body.error).toMatchObject({ code: 'NOT_FOUND', message: `No element with id ${a.body.element.id} in namespace "default".` })
  })

  it('answers sessions (none recorded yet) and health with ok', async () => {
    // Given a service
    const { url } = await start()

    // When sessions and health are read
    const sessions = await call(url, 'GET', '/v1/sessions')
    const health = await call(url, 'GET', '/healthz')

    // Then both have their documented shapes
    expect(sessions).toMatchObject({ status: 200, body: { namespace: 'default', sessions: [] } })
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } })
  })

  it.each([
    ['a missing query', 400, '/v1/fetch', { json: { tool: 'search' } }, 'BAD_INPUT', /must have required property 'query'/],
    ['an unknown field', 400, '/v1/lookup', { json: { query: 'x', colour: 'red' } }, 'BAD_INPUT', /must NOT have additional properties/],
    ['a blank query', 400, '/v1/fetch', { json: { query: '   ' } }, 'BAD_INPUT', /non-empty query/],
    ['a null result to store', 400, '/v1/store', { json: { query: 'x', result: null } }, 'BAD_INPUT', /result/],
    ['a staticity out of range', 400, '/v1/store', { json: { query: 'x', result: 'y', staticity: 11 } }, 'BAD_INPUT', /staticity/],
    ['malformed JSON', 400, '/v1/lookup', { body: '{"query": ', headers: { 'content-type': 'application/json' } }, 'BAD_INPUT', /JSON/],
    ['a text body', 415, '/v1/lookup', { body: 'who wrote hamlet', headers: { 'content-type': 'text/plain' } }, 'UNSUPPORTED_MEDIA_TYPE', /Unsupported Media Type/],
    ['a bad source argument', 400, '/v1/fetch', { json: { query: 'x', args: { k: 'many' } } }, 'BAD_INPUT', /k to be a whole number/],
  ])('answers %s with a structured %i', async (_what, status, path, request, code, message) => {
    // Given a service
    const { url } = await start()

    // When a bad request is sent
    const answer = await call(url, 'POST', path, request)

    // Then the status, code and message say what was wrong, with suggestions and no stack
    expect(answer.status).toBe(status)
    expect(Object.keys(answer.body)).toEqual(['error'])
    expect(answer.body.error).toEqual({ code, message: expect.stringMatching(message), suggestions: expect.any(Array) })
    expect(answer.text).not.toMatch(STACK_FRAME)
  })

  it('suggests a valid request when a body is invalid', async () => {
    // Given a service
    const { url } = await start()

    // When a lookup is sent without a query
    const answer = await call(url, 'POST', '/v1/lookup', { json: {} })

    // Then the suggestion shows a valid body
    expect(answer.body.error.suggestions).toEqual(['Send a request like {"query": "who wrote hamlet"}'])
  })

  it('answers an unknown endpoint or a bad id with 404 and 400', async () => {
    // Given a service
    const { url } = await start()

    // When an unknown path and a non-numeric id are requested
    const unknown = await call(url, 'GET', '/v2/everything?token=secret')
    const badId = await call(url, 'GET', '/v1/elements/abc')

    // Then both are structured errors; the 404 lists the endpoints and does not echo the query string
    expect(unknown.status).toBe(404)
    expect(unknown.body.error).toMatchObject({ code: 'NOT_FOUND', message: 'No endpoint GET /v2/everything.' })
    expect(unknown.body.error.suggestions[0]).toContain('POST /v1/fetch')
    expect(badId.status).toBe(400)
    expect(badId.body.error.code).toBe('BAD_INPUT')
  })

  it('refuses a body over the limit and a query over MAX_QUERY_BYTES with 413', async () => {
    // Given a service with a 4 KB body limit, and one with the default limit
    const small = await start({ bodyLimit: 4096 })
    const normal = await start()

    // When a 5 KB body and an oversized query (within the body limit) are sent
    const body = await call(small.url, 'POST', '/v1/store', { json: { query: 'x', result: 'y'.repeat(5000) } })
    const query = await call(normal.url, 'POST', '/v1/fetch', { json: { query: 'é'.repeat(MAX_QUERY_BYTES / 2 + 1) } })

    // Then both are 413 TOO_LARGE, and nothing was stored or looked up
    expect(body.status).toBe(413)
    expect(body.body.error.code).toBe('TOO_LARGE')
    expect(query.status).toBe(413)
    expect(query.body.error).toMatchObject({ code: 'TOO_LARGE', message: `Expected a query of at most ${MAX_QUERY_BYTES} bytes, received ${MAX_QUERY_BYTES + 2} bytes.` })
    expect((await call(normal.url, 'GET', '/v1/stats')).body.requests).toBe(0)
  })

  it('answers 504 when a request outlives its deadline, and still stores its answer', async () => {
    // Given a service whose source is held until released, with a 50 ms deadline
    const held = gate()
    const { url, service, asteria } = await start({
      requestTimeoutMs: 50,
      wrap: (real): Asteria => ({ ...real, ask: async (query, options) => (await held.promise, real.ask(query, options)) }),
    })

    // When a fetch is sent, and the source is released only after the answer came back
    const answer = await call(url, 'POST', '/v1/fetch', { json: { query: AUTHOR } })
    held.open()
    await service.close()

    // Then the caller got 504 TIMEOUT, and closing waited for the work, which stored the answer
    expect(answer.status).toBe(504)
    expect(answer.body.error).toMatchObject({ code: 'TIMEOUT', message: expect.stringContaining('50 ms') })
    expect(service.inflight()).toBe(0)
    expect((await asteria.cache.lookup(AUTHOR)).decision.hit).toBe(true)
  })

  it('answers an unexpected failure with 500 and a generic message, never its details', async () => {
    // Given a service whose fetch fails with an unexpected error
    const { url } = await start({ wrap: (real): Asteria => ({ ...real, ask: async () => Promise.reject(new Error('boom in /srv/secret/path')) }) })

    // When a fetch is sent
    const answer = await call(url, 'POST', '/v1/fetch', { json: { query: AUTHOR } })

    // Then the body says something went wrong, without the error's text or a stack
    expect(answer.status).toBe(500)
    expect(answer.body.error).toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('unexpected') })
    expect(answer.text).not.toContain('secret')
    expect(answer.text).not.toMatch(STACK_FRAME)
  })
})
