import { afterEach, describe, expect, it } from 'vitest'
import { defaultSourceConfig } from '../../src/config/source-config.js'
import { createSource } from '../../src/sources/create-source.js'
import { TAVILY_PRICE_USD } from '../../src/sources/tavily.js'
import { recordingSleep, startJsonApiServer, type JsonApiServer } from './json-api-server.js'

const KEY = 'tvly-test-0123456789'
let server: JsonApiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

function tavily(env: NodeJS.ProcessEnv = { TAVILY_API_KEY: KEY }, sleep = recordingSleep()) {
  const settings = { ...defaultSourceConfig(), tavilyUrl: server!.url, dataDir: '/nonexistent', latencyMs: 0, priceUsd: 0 }
  return createSource('tavily', settings, { env, sleep })
}

describe('TavilySource', () => {
  it('POSTs the query with the bearer key from the environment and records the price per call', async () => {
    // Given Tavily's search endpoint
    server = await startJsonApiServer(() => ({
      json: { query: 'q', results: [{ title: 'Hamlet', url: 'https://x.example/hamlet', content: 'A tragedy.', score: 0.9 }], response_time: 0.5 },
    }))
    // When it is searched
    const call = await tavily().search('who wrote hamlet', { k: 2 })
    // Then the request carries the key as a bearer token and the query as JSON
    const [request] = server.requests
    expect(request.method).toBe('POST')
    expect(request.url.pathname).toBe('/search')
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(request.body).toEqual({ query: 'who wrote hamlet', max_results: 2, search_depth: 'basic' })
    expect(call.result.documents).toEqual([{ id: 'https://x.example/hamlet', title: 'Hamlet', text: 'A tragedy.', url: 'https://x.example/hamlet', score: 0.9 }])
    expect(call.costUsd).toBe(TAVILY_PRICE_USD)
  })

  it('refuses to start without TAVILY_API_KEY, saying where to get one', () => {
    server = undefined
    const settings = { ...defaultSourceConfig(), dataDir: '/nonexistent', latencyMs: 0, priceUsd: 0 }
    expect(() => createSource('tavily', settings, { env: {} })).toThrow(/needs an API key in the environment variable TAVILY_API_KEY; it is not set/)
  })

  it('never shows the key when Tavily rejects it and echoes it back', async () => {
    server = await startJsonApiServer((request) => ({ status: 401, json: { detail: { error: `Unauthorized: ${String(request.headers.authorization)}` } } }))
    const error = (await tavily().search('q', {}).catch((e: unknown) => e)) as Error & { suggestions: string[] }
    expect(error.message).toMatch(/^The tavily source rejected the request: HTTP 401/)
    expect(error.message).not.toContain(KEY)
    expect(error.suggestions.join(' ')).toMatch(/TAVILY_API_KEY/)
    expect(error.suggestions.join(' ')).not.toContain(KEY)
  })

  it('waits out a 429 as Retry-After says', async () => {
    server = await startJsonApiServer((_, i) => (i === 0 ? { status: 429, json: {}, headers: { 'retry-after': '2' } } : { json: { results: [] } }))
    const sleep = recordingSleep()
    await tavily(undefined, sleep).search('q', {})
    expect(sleep.waits).toEqual([2000])
  })
})
