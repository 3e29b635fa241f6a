import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from './helpers/temp-dir.js'

describe('the public library API', () => {
  it('exports the cache, its parts and the services without running anything on import', async () => {
    // Given a fresh import of the package entry point
    const api = await import('../src/index.js')
    // Then the main pieces are there, as functions or classes
    for (const name of ['SemanticCache', 'openStore', 'loadStaticEmbedder', 'openAsteria', 'resolveConfig', 'checkGuard', 'resolveJudge', 'runTasks', 'startService', 'createMcpServer', 'AsteriaError']) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function')
    }
  })
})

describe('the README library examples', () => {
  const tempDir = useTempDirs()

  it('opens the configured parts and serves a paraphrase from the cache', async () => {
    // Given the README's first example, with this test's own folders instead of the user's (no simulated latency)
    const { openAsteria, resolveConfig } = await import('../src/index.js')
    const dir = tempDir()
    const asteria = await openAsteria(resolveConfig({ db: join(dir, 'cache.sqlite'), dataDir: dir, latencyMs: 0 }, {}, dir).config)
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
