import { afterEach, describe, expect, it } from 'vitest'
import { SourceHttpClient } from '../../src/sources/http-client.js'
import { WikipediaSource } from '../../src/sources/wikipedia.js'
import { recordingSleep, startJsonApiServer, type JsonApiServer } from './json-api-server.js'

let server: JsonApiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** The MediaWiki action API's answer to generator=search with extracts (formatversion 2). */
const PAGES = {
  batchcomplete: true,
  query: {
    pages: [
      { pageid: 2, ns: 0, title: 'Hamlet (film)', index: 2, extract: 'A 1948 film.', fullurl: 'https://en.wikipedia.org/wiki/Hamlet_(film)' },
      { pageid: 1, ns: 0, title: 'Hamlet', index: 1, extract: 'Hamlet is a tragedy by William Shakespeare.', fullurl: 'https://en.wikipedia.org/wiki/Hamlet' },
      { pageid: 3, ns: 0, title: 'Hamlet (disambiguation)', index: 3, extract: '' },
    ],
  },
}

function wikipedia(sleep = recordingSleep()): WikipediaSource {
  return new WikipediaSource({ apiUrl: `${server!.url}/w/api.php`, http: new SourceHttpClient({ source: 'wikipedia', sleep }) })
}

describe('WikipediaSource', () => {
  it('searches with one action-API call and returns the introductions in search order', async () => {
    // Given a MediaWiki API
    server = await startJsonApiServer(() => ({ json: PAGES }))
    // When a question is searched
    const call = await wikipedia().search('who wrote hamlet', { k: 3 })
    // Then the request asked for search hits with plain-text extracts and URLs
    const [request] = server.requests
    expect(request.url.pathname).toBe('/w/api.php')
    expect(Object.fromEntries(request.url.searchParams)).toMatchObject({
      action: 'query', format: 'json', formatversion: '2', generator: 'search', gsrsearch: 'who wrote hamlet', gsrlimit: '3',
      prop: 'extracts|info', explaintext: '1', inprop: 'url',
    })
    expect(request.headers['user-agent']).toMatch(/^asteria\//)
    // And the pages come back in search order, empty extracts dropped, free of charge
    expect(call.result.documents).toEqual([
      { id: '1', title: 'Hamlet', text: 'Hamlet is a tragedy by William Shakespeare.', url: 'https://en.wikipedia.org/wiki/Hamlet' },
      { id: '2', title: 'Hamlet (film)', text: 'A 1948 film.', url: 'https://en.wikipedia.org/wiki/Hamlet_(film)' },
    ])
    expect(call.costUsd).toBe(0)
    expect(call.latencyMs).toBeGreaterThan(0)
  })

  it('returns no documents when the search finds nothing (the API then omits "query")', async () => {
    server = await startJsonApiServer(() => ({ json: { batchcomplete: true } }))
    const call = await wikipedia().search('zzzxq', {})
    expect(call.result.documents).toEqual([])
  })

  it('retries a 429 with Retry-After and then answers', async () => {
    server = await startJsonApiServer((_, i) => (i === 0 ? { status: 429, json: {}, headers: { 'retry-after': '1' } } : { json: PAGES }))
    const sleep = recordingSleep()
    const call = await wikipedia(sleep).search('hamlet', {})
    expect(sleep.waits).toEqual([1000])
    expect(call.result.documents).toHaveLength(2)
  })

  it('rejects a bad k before calling the API', async () => {
    server = await startJsonApiServer(() => ({ json: PAGES }))
    await expect(wikipedia().search('hamlet', { k: 0 })).rejects.toThrow(/wikipedia source's k to be a whole number from 1 to 20/)
    expect(server.requests).toHaveLength(0)
  })
})
