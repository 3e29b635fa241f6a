import { afterEach, describe, expect, it } from 'vitest'
import { createSource } from '../../src/sources/create-source.js'
import { defaultSourceConfig } from '../../src/config/source-config.js'
import { recordingSleep, startJsonApiServer, type JsonApiServer } from './json-api-server.js'

let server: JsonApiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

function searxng(sleep = recordingSleep()) {
  const settings = { ...defaultSourceConfig(), searxngUrl: server!.url, dataDir: '/nonexistent', latencyMs: 0, priceUsd: 0 }
  return createSource('searxng', settings, { sleep })
}

describe('SearxngSource', () => {
  it('asks the instance for JSON and maps its results', async () => {
    // Given a SearXNG instance with JSON output enabled
    server = await startJsonApiServer(() => ({
      json: {
        query: 'tea',
        results: [
          { url: 'https://a.example/tea', title: 'Tea', content: 'Tea is a drink.', engine: 'ddg', score: 2 },
          { url: 'https://b.example/no-content', title: 'Only a title' },
          { title: 'No url', content: 'dropped' },
        ],
      },
    }))
    // When it is searched
    const call = await searxng().search('tea', { k: 5 })
    // Then the request is /search?q=...&format=json, and results with a URL come back
    expect(server.requests[0].url.pathname).toBe('/search')
    expect(Object.fromEntries(server.requests[0].url.searchParams)).toEqual({ q: 'tea', format: 'json' })
    expect(call.result.documents).toEqual([
      { id: 'https://a.example/tea', title: 'Tea', text: 'Tea is a drink.', url: 'https://a.example/tea', score: 2 },
      { id: 'https://b.example/no-content', title: 'Only a title', text: 'Only a title', url: 'https://b.example/no-content', score: undefined },
    ])
    expect(call.costUsd).toBe(0)
  })

  it('explains the 403 an instance gives when JSON output is not enabled', async () => {
    server = await startJsonApiServer(() => ({ status: 403, text: 'Forbidden' }))
    const error = (await searxng().search('tea', {}).catch((e: unknown) => e)) as Error & { suggestions: string[] }
    expect(error.message).toMatch(/^The searxng source rejected the request: HTTP 403/)
    expect(error.suggestions.join(' ')).toMatch(/search\.formats/)
  })

  it('retries a 502 with backoff and then answers', async () => {
    server = await startJsonApiServer((_, i) => (i < 2 ? { status: 502, text: 'bad gateway' } : { json: { results: [] } }))
    const sleep = recordingSleep()
    const call = await searxng(sleep).search('tea', {})
    expect(sleep.waits).toEqual([500, 1000])
    expect(call.result.documents).toEqual([])
  })
})
