import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packageRoot } from '../src/core/util/package-paths.js'
import { sharedDataDir } from './helpers/shared-data.js'
import { useTempDirs } from './helpers/temp-dir.js'

describe('the public library API', () => {
  it('exports the cache and its parts from asteria, and the services from asteria/serve, without running anything on import', async () => {
    // Given fresh imports of the two entry points
    const api = await import('../src/index.js')
    const serve = await import('../src/serve/index.js')
    // Then the main pieces are there, as functions or classes
    for (const name of ['SemanticCache', 'openStore', 'loadStaticEmbedder', 'openAsteria', 'resolveConfig', 'checkGuard', 'resolveJudge', 'runTasks', 'AsteriaError']) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function')
    }
    for (const name of ['startService', 'buildHttpApp', 'createMcpServer', 'serveMcpOverStdio', 'loadTokens']) {
      expect(typeof (serve as Record<string, unknown>)[name], name).toBe('function')
    }
  })

  it('loads neither the HTTP server nor the PostgreSQL client when the library is imported', () => {
    // Given a process that imports the built entry point, or the services' one
    const loadedBy = (entry: string) => {
      const script = [
        "import { createRequire } from 'node:module'",
        `await import(${JSON.stringify(join(packageRoot(), 'dist', entry))})`,
        "console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache).filter((k) => /node_modules\\/(fastify|pg|ajv)\\//.test(k))))",
      ].join('\n')
      return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as string[]
    }
    // Then the library alone loads none of them, and asteria/serve loads fastify
    expect(loadedBy('index.js')).toEqual([])
    expect(loadedBy('serve/index.js').some((k) => k.includes('node_modules/fastify/'))).toBe(true)
  })
})

describe('the README library examples', () => {
  const tempDir = useTempDirs()

  it('opens the configured parts and serves a paraphrase from the cache', async () => {
    // Given the README's first example, with this test's own cache file and the run's corpus index (no simulated latency)
    const { openAsteria, resolveConfig } = await import('../src/index.js')
    const dir = tempDir()
    const asteria = await openAsteria(resolveConfig({ db: join(dir, 'cache.sqlite'), dataDir: sharedDataDir(), latencyMs: 0 }, {}, dir).config)
    // When a question and its paraphrase are asked
    const first = await asteria.ask('who wrote the declaration of independence')
    const again = await asteria.ask('who was the author of the declaration of independence')
    await asteria.close()
    // Then the source answered the first, the cache the second, and the decision says why
    expect([first.source, again.source]).toEqual(['remote', 'cache'])
    expect(again.decision.reason).toMatch(/^semantic match \(similarity .* >= .*, guard passed\)$/)
  })

  it('puts a cache with a named source in front of a search call: the paraphrase is served from the cache', async () => {
    // Given the README's second example, with a search call that counts its calls
    const { SemanticCache, loadStaticEmbedder, openStore } = await import('../src/index.js')
    let calls = 0
    const mySearch = async (q: string) => (calls++, { documents: [{ id: '1', text: `results for ${q}` }] })
    const cache = new SemanticCache({ store: openStore(join(tempDir(), 'cache.sqlite')), embedder: loadStaticEmbedder(), sourceFor: () => 'my-search-api' })
    const ask = (question: string) => cache.fetchThrough(question, async () => ({ result: await mySearch(question), costUsd: 0.005 }), { tool: 'search' })
    // When a question and its paraphrase are asked
    const first = await ask('who wrote the declaration of independence')
    const served = await ask('who was the author of the declaration of independence')
    // Then the source was called once, and the paraphrase came from the cache, stored under the named source
    expect([first.source, served.source, calls]).toEqual(['remote', 'cache', 1])
    expect(served.decision.kind).toBe('semantic')
    expect(served.element).toMatchObject({ query: 'who wrote the declaration of independence', source: 'my-search-api' })
    await cache.close()
  })
})
