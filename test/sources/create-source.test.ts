import { describe, expect, it } from 'vitest'
import { defaultSourceConfig, SOURCE_NAMES } from '../../src/config/source-config.js'
import { createSource } from '../../src/sources/create-source.js'

const SETTINGS = { ...defaultSourceConfig(), dataDir: '/nonexistent', latencyMs: 0 as const, priceUsd: 0.005 }
const KEYS = { TAVILY_API_KEY: 'tvly-x', BRAVE_API_KEY: 'b-x' }
const HTTP_SPEC = { url: 'http://127.0.0.1:9/s?q={query}', resultPath: 'r', fields: { text: 't' } }

describe('createSource', () => {
  it('creates every named source, each declaring its price per call', () => {
    const prices = Object.fromEntries(
      SOURCE_NAMES.map((name) => {
        const source = createSource(name, { ...SETTINGS, httpSource: HTTP_SPEC }, { env: KEYS })
        return [name, source.pricePerCallUsd]
      }),
    )
    expect(prices).toEqual({ local: 0.005, docs: 0.005, wikipedia: 0, searxng: 0, tavily: 0.008, brave: 0.005, http: 0 })
  })

  it('lets the configuration override a paid source\'s price', () => {
    expect(createSource('brave', { ...SETTINGS, sourcePriceUsd: 0.003 }, { env: KEYS }).pricePerCallUsd).toBe(0.003)
  })

  it('asks for a description of the endpoint when the http source has none', () => {
    expect(() => createSource('http', SETTINGS, { env: {} })).toThrow(/The http source needs a description of the endpoint/)
  })

  it('names the missing key and never needs it for sources that have none', () => {
    expect(() => createSource('brave', SETTINGS, { env: {} })).toThrow(/BRAVE_API_KEY; it is not set/)
    expect(() => createSource('wikipedia', SETTINGS, { env: {} })).not.toThrow()
  })
})
