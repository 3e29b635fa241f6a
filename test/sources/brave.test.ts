import { afterEach, describe, expect, it } from 'vitest'
import { defaultSourceConfig } from '../../src/config/source-config.js'
import { BRAVE_PRICE_USD } from '../../src/sources/brave.js'
import { createSource } from '../../src/sources/create-source.js'
import { recordingSleep, startJsonApiServer, type JsonApiServer } from './json-api-server.js'

const KEY = 'BSA-test-token-42'
let server: JsonApiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

function brave(sleep = recordingSleep()) {
  const settings = { ...defaultSourceConfig(), braveUrl: server!.url, dataDir: '/nonexistent', latencyMs: 0, priceUsd: 0, sourceRetries: 1 }
  return createSource('brave', settings, { env: { BRAVE_API_KEY: KEY }, sleep })
}

describe('BraveSource', () => {
  it('sends the subscription token header and maps web results, markup removed', async () => {
    // Given Brave's web search endpoint
    server = await startJsonApiServer(() => ({
      json: {
        type: 'search',
        web: { results: [{ title: 'Hamlet', url: 'https://x.example/h', description: 'A <strong>tragedy</strong> by Shakespeare.', extra_snippets: ['Written 1600.'] }] },
      },
    }))
    // When it is searched
    const call = await brave().search('hamlet author', { k: 4 })
    // Then the request is GET /res/v1/web/search with q, count and the token
    const [request] = server.requests
    expect(request.url.pathname).toBe('/res/v1/web/search')
    expect(Object.fromEntries(request.url.searchParams)).toEqual({ q: 'hamlet author', count: '4' })
    expect(request.headers['x-subscription-token']).toBe(KEY)
    expect(call.result.documents).toEqual([{ id: 'https://x.example/h', title: 'Hamlet', text: 'A tragedy by Shakespeare. Written 1600.', url: 'https://x.example/h' }])
    expect(call.costUsd).toBe(BRAVE_PRICE_USD)
  })

  it('gives up after its retries on repeated 429s, with the last status in the error', async () => {
    server = await startJsonApiServer(() => ({ status: 429, json: { type: 'ErrorResponse' }, headers: { 'retry-after': '1' } }))
    const sleep = recordingSleep()
    const error = (await brave(sleep).search('q', {}).catch((e: unknown) => e)) as Error
    expect(server.requests).toHaveLength(2)
    expect(sleep.waits).toEqual([1000])
    expect(error.message).toMatch(/^The brave source is rate-limiting requests: HTTP 429 .* \(gave up after 2 attempts\)$/)
    expect(error.message).not.toContain(KEY)
  })
})
