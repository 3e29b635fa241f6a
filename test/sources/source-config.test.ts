import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { resolveConfig } from '../../src/config/config.js'
import { defaultSourceConfig } from '../../src/config/source-config.js'

describe('source and agent settings', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'asteria-source-config-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))
  /** Resolves with no user config and `dir` as the working directory. */
  const resolve = (flags: Parameters<typeof resolveConfig>[0], env: NodeJS.ProcessEnv = {}) => resolveConfig(flags, { ASTERIA_CONFIG_DIR: join(dir, 'none'), ...env }, dir).config

  it('starts from the defaults: the local source, the docs corpus, auto agent with qwen3:8b', () => {
    expect(resolve({})).toMatchObject(defaultSourceConfig())
    expect(defaultSourceConfig()).toMatchObject({ source: 'local', docsSource: 'docs', codeSource: 'docs', agent: 'auto', agentModel: 'qwen3:8b' })
  })

  it('reads them from the project config file, ASTERIA_* variables over it, and typed flags over both', () => {
    // Given a project file choosing SearXNG and a model, and the environment choosing Wikipedia
    writeFileSync(join(dir, 'asteria.config.json'), JSON.stringify({ source: 'searxng', searxngUrl: 'http://127.0.0.1:9999', agentModel: 'llama3.2:3b', sourceRetries: 3 }))
    const env = { ASTERIA_SOURCE: 'wikipedia', ASTERIA_WIKIPEDIA_URL: 'http://127.0.0.1:8080/w/api.php/', ASTERIA_SOURCE_RETRIES: '4', ASTERIA_AGENT: 'replay' }
    // When a flag chooses the agent
    const config = resolve({ agent: 'ollama' }, env)
    // Then each setting comes from the strongest place that sets it
    expect(config).toMatchObject({ source: 'wikipedia', wikipediaUrl: 'http://127.0.0.1:8080/w/api.php', searxngUrl: 'http://127.0.0.1:9999', agentModel: 'llama3.2:3b', sourceRetries: 4, agent: 'ollama' })
  })

  it('names the variable or file and the expected value when one is wrong', () => {
    expect(() => resolve({}, { ASTERIA_SOURCE: 'google' })).toThrow(
      'Expected source in the environment (ASTERIA_SOURCE) to be one of local, docs, wikipedia, searxng, tavily, brave, http, received "google".',
    )
    expect(() => resolve({}, { ASTERIA_SOURCE_RETRIES: '1.5' })).toThrow(/a whole number from 0 to 10/)
    expect(() => resolve({}, { ASTERIA_SEARXNG_URL: 'localhost:8888' })).toThrow(/an http\(s\) URL/)
    writeFileSync(join(dir, 'asteria.config.json'), JSON.stringify({ agentMaxSteps: 0 }))
    expect(() => resolve({})).toThrow(`Expected agentMaxSteps in ${join(dir, 'asteria.config.json')} to be a whole number from 1 to 50, received 0.`)
  })

  it('reads the http source description as an object in a file, as JSON text or from a file named in the environment, and checks it', () => {
    const spec = { url: 'https://search.example/api?q={query}', resultPath: 'hits', fields: { text: 'snippet' } }
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec))
    expect(resolve({}, { ASTERIA_HTTP_SOURCE: join(dir, 'spec.json') }).httpSource).toEqual(spec)
    expect(resolve({}, { ASTERIA_HTTP_SOURCE: JSON.stringify(spec) }).httpSource).toEqual(spec)
    expect(() => resolve({}, { ASTERIA_HTTP_SOURCE: JSON.stringify({ ...spec, url: 'https://search.example/api' }) })).toThrow(/url contains \{query\}/)
    expect(() => resolve({}, { ASTERIA_HTTP_SOURCE: JSON.stringify({ url: spec.url, resultPath: 'hits', fields: {} }) })).toThrow(/fields\.text/)
    writeFileSync(join(dir, 'asteria.config.json'), JSON.stringify({ source: 'http', httpSource: spec }))
    expect(resolve({})).toMatchObject({ source: 'http', httpSource: spec })
    // A spec file named in the user config file is found next to that file, not in the working directory
    rmSync(join(dir, 'asteria.config.json'))
    mkdirSync(join(dir, 'user'))
    writeFileSync(join(dir, 'user', 'intranet.json'), JSON.stringify(spec))
    writeFileSync(join(dir, 'user', 'config.json'), JSON.stringify({ source: 'http', httpSource: 'intranet.json' }))
    expect(resolveConfig({}, { ASTERIA_CONFIG_DIR: join(dir, 'user') }, dir).config.httpSource).toEqual(spec)
  })
})
