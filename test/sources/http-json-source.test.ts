import { afterEach, describe, expect, it } from 'vitest'
import { defaultSourceConfig, type HttpSourceSpec } from '../../src/config/source-config.js'
import { createSource } from '../../src/sources/create-source.js'
import { valueAt } from '../../src/sources/http-json-source.js'
import { recordingSleep, startJsonApiServer, type JsonApiServer } from './json-api-server.js'

let server: JsonApiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

function httpSource(spec: Omit<HttpSourceSpec, 'url'> & { url?: string }, env: NodeJS.ProcessEnv = {}) {
  const httpSource = { url: `${server!.url}/v2/find?term={query}&n={k}`, ...spec }
  const settings = { ...defaultSourceConfig(), httpSource, dataDir: '/nonexistent', latencyMs: 0, priceUsd: 0 }
  return createSource('http', settings, { env, sleep: recordingSleep() })
}

const ITEMS = { data: { items: [{ name: 'One', snippet: { body: 'first result' }, link: 'https://one.example' }, { name: 'No text' }, { name: 'Two', snippet: { body: 'second' } }] } }

describe('HttpJsonSource', () => {
  it('fills the URL template, sends headers from the environment, and reads results by path', async () => {
    // Given a JSON endpoint and a description of it with a key from the environment
    server = await startJsonApiServer(() => ({ json: ITEMS }))
    const source = httpSource(
      { name: 'intranet', resultPath: 'data.items', fields: { title: 'name', text: 'snippet.body', url: 'link' }, headersFromEnv: { 'x-api-key': 'INTRANET_KEY' }, headers: { 'x-client': 'asteria' }, priceUsd: 0.001 },
      { INTRANET_KEY: 'k-123' },
    )
    // When a question with spaces and symbols is searched
    const call = await source.search('c++ & rust?', { k: 5 })
    // Then the template got the encoded query and k, the headers were sent, and results were mapped
    const [request] = server.requests
    expect(request.url.pathname).toBe('/v2/find')
    expect(request.url.searchParams.get('term')).toBe('c++ & rust?')
    expect(request.url.searchParams.get('n')).toBe('5')
    expect(request.headers['x-api-key']).toBe('k-123')
    expect(request.headers['x-client']).toBe('asteria')
    expect(source.name).toBe('intranet')
    expect(call.costUsd).toBe(0.001)
    expect(call.result.documents).toEqual([
      { id: 'https://one.example', title: 'One', text: 'first result', url: 'https://one.example' },
      { id: '2', title: 'Two', text: 'second', url: undefined },
    ])
  })

  it('POSTs a body template with the query filled in', async () => {
    server = await startJsonApiServer(() => ({ json: [{ text: 'hit' }] }))
    const source = httpSource({ url: `${server.url}/search`, method: 'POST', body: { q: '{query}', size: '{k}', fixed: true }, resultPath: '', fields: { text: 'text' } })
    const call = await source.search('tea', {})
    expect(server.requests[0].body).toEqual({ q: 'tea', size: 5, fixed: true })
    expect(call.result.documents).toEqual([{ id: '0', title: undefined, text: 'hit', url: undefined }])
  })

  it('says when resultPath does not lead to an array', async () => {
    server = await startJsonApiServer(() => ({ json: ITEMS }))
    const source = httpSource({ resultPath: 'data.results', fields: { text: 'snippet.body' } })
    await expect(source.search('q', {})).rejects.toThrow('The http source answered, but resultPath "data.results" does not lead to an array (found nothing).')
  })

  it('needs the environment variables its headers name, and never prints their values', async () => {
    server = await startJsonApiServer((request) => ({ status: 403, json: { error: `bad key ${String(request.headers['x-api-key'])}` } }))
    expect(() => httpSource({ resultPath: '', fields: { text: 't' }, headersFromEnv: { 'x-api-key': 'MISSING_KEY' } })).toThrow(/environment variable MISSING_KEY; it is not set/)
    const source = httpSource({ resultPath: '', fields: { text: 't' }, headersFromEnv: { 'x-api-key': 'MY_KEY' } }, { MY_KEY: 'super-secret-value' })
    const error = (await source.search('q', {}).catch((e: unknown) => e)) as Error & { suggestions: string[] }
    expect(error.message).toMatch(/rejected the request: HTTP 403/)
    expect(error.message).not.toContain('super-secret-value')
    expect(error.suggestions).toEqual(['Check MY_KEY.'])
  })
})

describe('valueAt', () => {
  it('follows dotted paths through objects and arrays', () => {
    expect(valueAt({ a: { b: [{ c: 1 }] } }, 'a.b.0.c')).toBe(1)
    expect(valueAt({ a: 1 }, '')).toEqual({ a: 1 })
    expect(valueAt({ a: null }, 'a.b')).toBeUndefined()
  })
})
