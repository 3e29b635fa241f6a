import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultSourceConfig, resolveSourceConfig } from '../../src/config/source-config.js'

describe('resolveSourceConfig', () => {
  it('starts from the defaults: the local source, the docs corpus, auto agent with qwen3:8b', () => {
    expect(resolveSourceConfig({}, {})).toEqual(defaultSourceConfig())
    expect(defaultSourceConfig()).toMatchObject({ source: 'local', docsSource: 'docs', codeSource: 'docs', agent: 'auto', agentModel: 'qwen3:8b' })
  })

  it('reads ASTERIA_* variables, and typed flags win over them', () => {
    const env = { ASTERIA_SOURCE: 'wikipedia', ASTERIA_WIKIPEDIA_URL: 'http://127.0.0.1:8080/w/api.php/', ASTERIA_SOURCE_RETRIES: '4', ASTERIA_AGENT: 'replay' }
    const config = resolveSourceConfig({ agent: 'ollama' }, env)
    expect(config).toMatchObject({ source: 'wikipedia', wikipediaUrl: 'http://127.0.0.1:8080/w/api.php', sourceRetries: 4, agent: 'ollama' })
  })

  it('names the variable and the expected value when one is wrong', () => {
    expect(() => resolveSourceConfig({}, { ASTERIA_SOURCE: 'google' })).toThrow(
      'Expected source in the environment (ASTERIA_SOURCE) to be one of local, docs, wikipedia, searxng, tavily, brave, http, received "google".',
    )
    expect(() => resolveSourceConfig({}, { ASTERIA_SOURCE_RETRIES: '1.5' })).toThrow(/a whole number from 0 to 10/)
    expect(() => resolveSourceConfig({}, { ASTERIA_SEARXNG_URL: 'localhost:8888' })).toThrow(/an http\(s\) URL/)
  })

  it('reads the http source description as JSON text or from a file, and checks it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'asteria-http-spec-'))
    try {
      const spec = { url: 'https://search.example/api?q={query}', resultPath: 'hits', fields: { text: 'snippet' } }
      writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec))
      expect(resolveSourceConfig({}, { ASTERIA_HTTP_SOURCE: join(dir, 'spec.json') }).httpSource).toEqual(spec)
      expect(resolveSourceConfig({}, { ASTERIA_HTTP_SOURCE: JSON.stringify(spec) }).httpSource).toEqual(spec)
      expect(() => resolveSourceConfig({}, { ASTERIA_HTTP_SOURCE: JSON.stringify({ ...spec, url: 'https://search.example/api' }) })).toThrow(/url contains \{query\}/)
      expect(() => resolveSourceConfig({}, { ASTERIA_HTTP_SOURCE: JSON.stringify({ url: spec.url, resultPath: 'hits', fields: {} }) })).toThrow(/fields\.text/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
