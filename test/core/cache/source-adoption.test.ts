import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { reembedElements } from '../../../src/core/admin/reembed.js'
import { SemanticCache } from '../../../src/core/cache/semantic-cache.js'
import { MIGRATIONS } from '../../../src/store/sqlite/migrations.js'
import { openStore, type SqliteStore } from '../../../src/store/sqlite/sqlite-store.js'
import { FakeEmbedder } from '../../helpers/fake-embedder.js'
import { useTempDirs } from '../../helpers/temp-dir.js'
import { contextOf } from '../../../src/core/cache/cache-context.js'

const tempDir = useTempDirs()
const QUESTION = 'who wrote the declaration of independence'
const PARAPHRASE = 'who was the author of the declaration of independence'
const ANSWER = { documents: [{ id: 'd', text: 'Thomas Jefferson drafted it.' }] }

/**
 * A cache file as the version before sources were recorded left it (two elements, the schema one
 * migration short), opened by this version: the migration lists its elements for adoption.
 */
async function upgradedFile(): Promise<{ store: SqliteStore; path: string }> {
  const path = join(tempDir(), 'cache.sqlite')
  const before = new SemanticCache({ store: openStore(path), embedder: new FakeEmbedder(), thresholds: { tauSim: 0.6 } })
  await before.store({ query: QUESTION, result: ANSWER })
  await before.store({ query: 'what is the capital of france', tool: 'search_docs', result: ANSWER })
  // Undo that migration and the ones after it (the vector lists, which hold nothing at two elements).
  const { db } = contextOf(before).store as SqliteStore
  const lists = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%' AND name LIKE '%\\_lists' ESCAPE '\\'").all() as { name: string }[]
  db.exec(`${lists.map((t) => `DROP TABLE ${t.name};`).join(' ')} DROP TABLE vector_scopes; DROP TABLE vector_lists;
    DROP TRIGGER elements_unrecorded_source; DROP TABLE unrecorded_sources;
    ALTER TABLE elements DROP COLUMN source; PRAGMA user_version = ${MIGRATIONS.findIndex((m) => m.includes('unrecorded_sources'))}`)
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

  it('are adopted before a re-embedding that precedes any look-up, not copied without a source', async () => {
    // Given an upgraded file, opened with another embedder by a cache that knows its sources
    const { store } = await upgradedFile()
    const cache = new SemanticCache({ store, embedder: new FakeEmbedder(32, 'v2'), thresholds: { tauSim: 0.6 }, sourceFor })
    // When its elements are re-embedded first thing
    await reembedElements(cache)
    // Then they were adopted, then moved, and answer
    expect((await store.all()).map((e) => [e.source, e.embedder])).toEqual([['tavily', 'fake:bow32:v2'], ['docs', 'fake:bow32:v2']])
    expect((await cache.lookup(PARAPHRASE)).decision.hit).toBe(true)
    await cache.close()
  })

  it('wait for a later run when the file is locked, with a warning, and never block look-ups', async () => {
    // Given an upgraded file another process is writing to
    const { path } = await upgradedFile()
    const writer = openStore(path)
    writer.db.prepare('BEGIN IMMEDIATE').run()
    const warnings: string[] = []
    const store = openStore(path, { busyTimeoutMs: 50 })
    const cache = new SemanticCache({ store, embedder: new FakeEmbedder(), thresholds: { tauSim: 0.6 }, sourceFor, onWarning: (w) => warnings.push(w) })
    // When the cache gets ready while the lock is held
    await cache.ready()
    // Then the user is told, nothing moved, and once the lock is gone look-ups run (the element waits for a later run)
    expect(warnings).toEqual([expect.stringMatching(/not adopted this time \(database is locked\); a later run will try again/)])
    expect(store.db.prepare('SELECT count(*) AS n FROM unrecorded_sources').get()).toEqual({ n: 2 })
    writer.db.prepare('ROLLBACK').run()
    await writer.close()
    expect((await cache.lookup(QUESTION)).decision.hit).toBe(false)
    await cache.close()
    // And the next run adopts them
    const later = new SemanticCache({ store: openStore(path), embedder: new FakeEmbedder(), thresholds: { tauSim: 0.6 }, sourceFor })
    expect((await later.lookup(PARAPHRASE)).decision.hit).toBe(true)
    await later.close()
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
    expect((contextOf(cache).store as SqliteStore).db.prepare('SELECT count(*) AS n FROM unrecorded_sources').get()).toEqual({ n: 0 })
    await cache.close()
  })
})
