import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SemanticCache } from '../../src/core/semantic-cache.js'
import { openStore, type SqliteStore } from '../../src/store/sqlite-store.js'
import { FakeEmbedder } from '../helpers/fake-embedder.js'
import { useTempDirs } from '../helpers/temp-dir.js'

const tempDir = useTempDirs()
const QUESTION = 'who wrote the declaration of independence'
const PARAPHRASE = 'who was the author of the declaration of independence'
const ANSWER = { documents: [{ id: 'd', text: 'Thomas Jefferson drafted it.' }] }

/** What the migration leaves in a file written before sources were recorded: elements with no source, listed for adoption. */
async function upgradedFile(): Promise<{ store: SqliteStore; path: string }> {
  const path = join(tempDir(), 'cache.sqlite')
  const before = new SemanticCache({ store: openStore(path), embedder: new FakeEmbedder(), thresholds: { tauSim: 0.6 } })
  await before.store({ query: QUESTION, result: ANSWER })
  await before.store({ query: 'what is the capital of france', tool: 'search_docs', result: ANSWER })
  const store = before.storage as SqliteStore
  store.db.exec('INSERT INTO unrecorded_sources (element_id) SELECT id FROM elements')
  await before.close()
  return { store: openStore(path), path }
}

const sourceFor = (tool: string) => (tool === 'search_docs' ? 'docs' : 'tavily')

describe('elements stored before sources were recorded', () => {
  it('are adopted once, as answers of the source now configured for their tool, and answer again (ids kept)', async () => {
    // Given an upgraded cache file whose elements name no source
    const { store } = await upgradedFile()
    const ids = (await store.all()).map((e) => e.id)
    // When a cache that knows its sources opens it and looks up a paraphrase
    const cache = new SemanticCache({ store, embedder: new FakeEmbedder(), thresholds: { tauSim: 0.6 }, sourceFor })
    const found = await cache.lookup(PARAPHRASE)
    // Then the element answers, now recorded under its tool's source, with the same ids and vectors
    expect(found.decision.hit).toBe(true)
    expect(Object.fromEntries((await store.all()).map((e) => [e.tool, e.source]))).toEqual({ search: 'tavily', search_docs: 'docs' })
    expect((await store.all()).map((e) => e.id)).toEqual(ids)
    expect((await cache.lookup('what is the capital of france', { tool: 'search_docs' })).decision.kind).toBe('exact')
    // And the adoption is done: nothing is left to adopt
    expect(await store.adoptUnrecordedSources(() => ({ source: 'x', scopeKey: 'x' }))).toBe(0)
    await cache.close()
  })

  it('stay as they are for a cache that names no source (a library user with its own loader)', async () => {
    const { store } = await upgradedFile()
    const cache = new SemanticCache({ store, embedder: new FakeEmbedder(), thresholds: { tauSim: 0.6 } })
    expect((await cache.lookup(PARAPHRASE)).decision.hit).toBe(true)
    expect((await store.all()).map((e) => e.source)).toEqual(['', ''])
    expect(store.db.prepare('SELECT count(*) AS n FROM unrecorded_sources').get()).toEqual({ n: 2 })
    await cache.close()
  })

  it('are no longer listed once deleted', async () => {
    const { store } = await upgradedFile()
    await store.delete((await store.all()).map((e) => e.id))
    expect(store.db.prepare('SELECT count(*) AS n FROM unrecorded_sources').get()).toEqual({ n: 0 })
    await store.close()
  })

  it('are told apart from elements stored since, which name their source', async () => {
    // Given a cache that knows its sources, on a fresh file
    const cache = new SemanticCache({ store: openStore(join(tempDir(), 'fresh.sqlite')), embedder: new FakeEmbedder(), thresholds: { tauSim: 0.6 }, sourceFor })
    // When it stores an answer
    const stored = await cache.store({ query: QUESTION, result: ANSWER })
    // Then the element names the source and nothing waits for adoption
    expect(stored.source).toBe('tavily')
    expect((cache.storage as SqliteStore).db.prepare('SELECT count(*) AS n FROM unrecorded_sources').get()).toEqual({ n: 0 })
    await cache.close()
  })
})
