import { describe, expect, it } from 'vitest'
import type { FetchResult } from '../../src/core/cache/requests.js'
import { searxngResponse, searxngScopeArgs } from '../../src/serve/searxng-shape.js'
import { AUTHOR, AUTHOR_PARAPHRASE, call, useService } from './service-fixture.js'

const search = (q: string, extra = '') => `/search?q=${encodeURIComponent(q)}&format=json${extra}`

describe('GET /search (SearXNG-compatible)', () => {
  const start = useService()

  it("answers in SearXNG's JSON shape, mapping the source's documents to results", async () => {
    // Given a service over the local corpus
    const { url } = await start()

    // When a question is searched as a SearXNG client would
    const answer = await call(url, 'GET', search(AUTHOR, '&language=all&safesearch=0&categories=general&theme=simple'))

    // Then the body has SearXNG's keys and result fields, plus Asteria's own block
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({ query: AUTHOR, answers: [], corrections: [], infoboxes: [], suggestions: [], unresponsive_engines: [] })
    expect(answer.body.number_of_results).toBe(answer.body.results.length)
    expect(answer.body.results.length).toBeGreaterThan(0)
    const [first, second] = answer.body.results
    expect(first).toEqual({
      url: expect.stringMatching(/^https:\/\/en\.wikipedia\.org\/wiki\//),
      title: expect.any(String),
      content: expect.any(String),
      engine: 'local@simulated-region',
      engines: ['local@simulated-region'],
      template: 'default.html',
      parsed_url: ['https', 'en.wikipedia.org', expect.stringMatching(/^\/wiki\//), '', '', ''],
      positions: [1],
      score: 1,
      category: 'general',
      publishedDate: null,
    })
    expect(second).toMatchObject({ positions: [2], score: 0.5 })
    expect(answer.body.asteria).toMatchObject({ hit: false, source: 'remote', kind: 'miss', saved: { latencyMs: 0, costUsd: 0 }, paid: { costUsd: 0.005 } })
  })

  it('serves a paraphrased second search from the cache', async () => {
    // Given a question searched once
    const { url } = await start()
    const first = await call(url, 'GET', search(AUTHOR))

    // When a paraphrase is searched
    const second = await call(url, 'GET', search(AUTHOR_PARAPHRASE))

    // Then it is a hit with the same results, and says what it saved
    expect(second.body.asteria).toMatchObject({ hit: true, source: 'cache', kind: 'semantic', elementId: first.body.asteria.elementId, saved: { costUsd: 0.005 } })
    expect(second.body.results).toEqual(first.body.results)
    expect(second.body.query).toBe(AUTHOR_PARAPHRASE)
  })

  it('shares elements with /v1/fetch, and keeps another language apart', async () => {
    // Given a question fetched through the JSON API (tool search)
    const { url } = await start()
    await call(url, 'POST', '/v1/fetch', { json: { query: AUTHOR } })

    // When it is searched with the default parameters, and in German
    const same = await call(url, 'GET', search(AUTHOR, '&language=auto'))
    const german = await call(url, 'GET', search(AUTHOR, '&language=de'))

    // Then the first is a hit on the fetched element; the German one is another scope: a miss
    expect(same.body.asteria.hit).toBe(true)
    expect(german.body.asteria.hit).toBe(false)
  })

  it.each([
    ['without format', search('x').replace('&format=json', ''), /must have required property 'format'/],
    ['with format=html', search('x').replace('format=json', 'format=html'), /format must be equal to one of the allowed values/],
    ['without q', '/search?format=json', /must have required property 'q'/],
  ])('answers a request %s with 400 and an example', async (_what, path, message) => {
    // Given a service
    const { url } = await start()

    // When a request is incomplete
    const answer = await call(url, 'GET', path)

    // Then it is a structured 400 quoting a valid request
    expect(answer.status).toBe(400)
    expect(answer.body.error).toEqual({ code: 'BAD_INPUT', message: expect.stringMatching(message), suggestions: ['Send a request like GET /search?q=who+wrote+hamlet&format=json'] })
  })

  it('answers a later page with no results, without asking the source', async () => {
    // Given a service
    const { url } = await start()

    // When page 2 is asked for
    const answer = await call(url, 'GET', search(AUTHOR, '&pageno=2'))

    // Then it is empty, and the cache counted no request
    expect(answer.body).toMatchObject({ number_of_results: 0, results: [], asteria: { hit: false, source: 'none' } })
    expect((await call(url, 'GET', '/v1/stats')).body.requests).toBe(0)
  })
})

describe('searxngResponse', () => {
  it('turns a result of another shape (stored by hand) into one text result', () => {
    // Given an answer whose result is plain text
    const fetched = {
      result: 'Thomas Jefferson',
      source: 'cache',
      decision: { hit: true, kind: 'exact', similarity: 1, reason: 'exact match' },
      element: { id: 7, latencyMs: 420, costUsd: 0.005 },
      latencyMs: 0,
      costUsd: 0,
    } as unknown as FetchResult

    // When it is shaped for SearXNG
    const response = searxngResponse(AUTHOR, fetched, 'local')

    // Then there is one result carrying the text, and the saving of the hit
    expect(response.results).toEqual([expect.objectContaining({ url: '', title: 'result', content: 'Thomas Jefferson', parsed_url: ['', '', '', '', '', ''], score: 1 })])
    expect(response.asteria.saved).toEqual({ latencyMs: 420, costUsd: 0.005 })
  })
})

describe('searxngScopeArgs', () => {
  it('keeps the parameters that change results and drops their defaults', () => {
    // Given SearXNG parameters, some at their defaults
    // When they become scope arguments
    // Then only the non-default ones remain
    expect(searxngScopeArgs({ language: 'all', categories: 'general', safesearch: 0, time_range: '' })).toEqual({})
    expect(searxngScopeArgs({ language: 'auto' })).toEqual({})
    expect(searxngScopeArgs({ language: 'de', time_range: 'week', categories: 'news', engines: 'wikipedia', safesearch: 2 })).toEqual({
      language: 'de', time_range: 'week', categories: 'news', engines: 'wikipedia', safesearch: '2',
    })
  })
})
