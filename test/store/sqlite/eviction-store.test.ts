import { join } from 'node:path'
import Database from 'better-sqlite3'
import * as sqliteVec from 'sqlite-vec'
import { describe, expect, it } from 'vitest'
import type { NewElement } from '../../../src/core/ports/cache-store.js'
import { lcfuScore } from '../../../src/core/eviction.js'
import { SqliteEvictionStore } from '../../../src/store/sqlite/eviction-store.js'
import { MIGRATIONS } from '../../../src/store/sqlite/migrations.js'
import { openStore, type SqliteStore } from '../../../src/store/sqlite/sqlite-store.js'
import { useTempDirs } from '../../helpers/temp-dir.js'

const tempDir = useTempDirs()
const EMBEDDER = { fingerprint: 'test:unit3', model: 'unit', dimensions: 3 }
const FAR_FUTURE = 1e12

function element(query: string, over: Partial<NewElement> = {}): NewElement {
  return {
    query, normalizedQuery: query, namespace: 'default', tool: 'search', args: {}, scopeKey: 's', source: '', embedder: EMBEDDER.fingerprint,
    result: { documents: [{ id: query, text: query }] }, latencyMs: 400, costUsd: 0.005, staticity: 7, frequency: 0, sizeBytes: 100,
    createdAt: 0, lastAccessAt: 0, expiresAt: FAR_FUTURE, origin: 'miss', ...over,
  }
}

async function storeWith(elements: NewElement[]): Promise<{ store: SqliteStore; eviction: SqliteEvictionStore; ids: Map<string, number> }> {
  const store = openStore(join(tempDir(), 'cache.sqlite'))
  await store.registerEmbedder(EMBEDDER)
  const stored = await store.insert(elements.map((e, i) => ({ element: e, embedding: new Float32Array([1, i + 1, 0]) })))
  return { store, eviction: new SqliteEvictionStore(store), ids: new Map(stored.map((s) => [s.query, s.id])) }
}

const vectorRows = (store: SqliteStore) => {
  const { vector_table } = store.db.prepare('SELECT vector_table FROM embedders').get() as { vector_table: string }
  return (store.db.prepare(`SELECT count(*) AS n FROM ${vector_table}`).get() as { n: number }).n
}

describe('SqliteEvictionStore.evictOverBudget', () => {
  it('evicts in ascending LCFU value, the order lcfuScore gives', async () => {
    // Given elements that differ in price, latency, hits, staticity and size
    const elements = [
      element('cheap', { costUsd: 0.0005 }),
      element('fast', { latencyMs: 60 }),
      element('popular', { frequency: 20 }),
      element('volatile', { staticity: 1 }),
      element('large', { sizeBytes: 5000 }),
      element('plain'),
    ]
    const { eviction } = await storeWith(elements)
    // When the cache must shrink to one element
    const evicted = await eviction.evictOverBudget({ budget: { maxEntries: 1, policy: 'lcfu' }, now: 0 })
    // Then the victims come in the order of their lcfuScore, lowest first, and the most valuable stays
    const expected = [...elements].sort((a, b) => lcfuScore(a) - lcfuScore(b)).map((e) => e.query)
    expect(evicted.map((e) => e.query)).toEqual(expected.slice(0, 5))
    expect(evicted.every((e) => e.reason === 'lcfu')).toBe(true)
    expect(await eviction.usage()).toEqual({ entries: 1, bytes: elements.find((e) => e.query === expected[5])!.sizeBytes })
  })

  it('evicts the least recently used under lru, the least frequently used (oldest first among ties) under lfu', async () => {
    const elements = [
      element('a', { lastAccessAt: 30, frequency: 1 }),
      element('b', { lastAccessAt: 10, frequency: 5 }),
      element('c', { lastAccessAt: 20, frequency: 1 }),
      element('d', { lastAccessAt: 40, frequency: 0 }),
    ]
    const lru = await storeWith(elements)
    const lfu = await storeWith(elements)
    const byLru = await lru.eviction.evictOverBudget({ budget: { maxEntries: 1, policy: 'lru' }, now: 0 })
    const byLfu = await lfu.eviction.evictOverBudget({ budget: { maxEntries: 1, policy: 'lfu' }, now: 0 })
    expect(byLru.map((e) => [e.query, e.reason])).toEqual([['b', 'lru'], ['c', 'lru'], ['a', 'lru']])
    expect(byLfu.map((e) => [e.query, e.reason])).toEqual([['d', 'lfu'], ['c', 'lfu'], ['a', 'lfu']])
  })

  it('evicts expired elements first, whatever their value, then by policy', async () => {
    // Given a valuable element that has expired and two live ones
    const { eviction } = await storeWith([
      element('expired but valuable', { frequency: 100, expiresAt: 500 }),
      element('live cheap', { costUsd: 0.0001 }),
      element('live dear', { costUsd: 0.05 }),
    ])
    // When the cache must drop two elements at time 1,000
    const evicted = await eviction.evictOverBudget({ budget: { maxEntries: 1 }, now: 1000 })
    // Then the expired one goes first, then the cheapest live one
    expect(evicted.map((e) => [e.query, e.reason])).toEqual([['expired but valuable', 'expired'], ['live cheap', 'lcfu']])
  })

  it('keeps the bytes under a byte budget, evicting only as many elements as needed', async () => {
    const { eviction } = await storeWith([
      element('small cheap', { sizeBytes: 100, costUsd: 0.0001 }),
      element('big', { sizeBytes: 400 }),
      element('mid', { sizeBytes: 300 }),
      element('small dear', { sizeBytes: 100, costUsd: 0.05 }),
    ])
    const evicted = await eviction.evictOverBudget({ budget: { maxBytes: 500 }, now: 0 })
    const usage = await eviction.usage()
    expect(usage.bytes).toBeLessThanOrEqual(500)
    expect(evicted.map((e) => e.query)).toEqual(['small cheap', 'big'])
    expect(usage).toEqual({ entries: 2, bytes: 400 })
  })

  it('does nothing within budget, and never evicts a protected element', async () => {
    const { eviction, ids } = await storeWith([element('new cheap', { costUsd: 0.0001 }), element('old dear', { costUsd: 0.05 })])
    expect(await eviction.evictOverBudget({ budget: { maxEntries: 2 }, now: 0 })).toEqual([])
    const evicted = await eviction.evictOverBudget({ budget: { maxEntries: 1 }, now: 0, protect: [ids.get('new cheap')!] })
    expect(evicted.map((e) => e.query)).toEqual(['old dear'])
  })

  it('applies a namespace budget to that namespace only', async () => {
    const { eviction } = await storeWith([element('a1', { namespace: 'a' }), element('a2', { namespace: 'a', costUsd: 0.05 }), element('b1', { namespace: 'b' })])
    const evicted = await eviction.evictOverBudget({ budget: { maxEntries: 1, namespace: 'a' }, now: 0 })
    expect(evicted.map((e) => e.query)).toEqual(['a1'])
    expect(await eviction.usage('b')).toEqual({ entries: 1, bytes: 100 })
    expect(await eviction.usage()).toEqual({ entries: 2, bytes: 200 })
  })

  it('ranks an element higher once it is hit (the stored value follows the frequency)', async () => {
    const { store, eviction, ids } = await storeWith([element('x'), element('y')])
    await store.recordHit(ids.get('x')!, 5)
    const [victim] = await eviction.evictOverBudget({ budget: { maxEntries: 1 }, now: 0 })
    expect(victim.query).toBe('y')
  })
})

describe('SqliteEvictionStore transactions and log', () => {
  it('removes the vector with the element, logs it with its reason, and counts it', async () => {
    // Given three elements with vectors
    const { store, eviction, ids } = await storeWith([element('a', { expiresAt: 10 }), element('b'), element('c')])
    expect(vectorRows(store)).toBe(3)
    // When one expired and one by value are evicted, and one by hand
    await eviction.evictOverBudget({ budget: { maxEntries: 2 }, now: 100 })
    await eviction.evict([ids.get('b')!, 999], 'manual', 200)
    // Then their vector rows are gone too, the log names each with its reason, and counters count them
    expect(vectorRows(store)).toBe(1)
    expect(await store.getEmbedding(ids.get('a')!)).toBeUndefined()
    expect((await eviction.log()).map((e) => [e.query, e.reason, e.evictedAt])).toEqual([['b', 'manual', 200], ['a', 'expired', 100]])
    expect(await store.counters()).toMatchObject({ evicted_expired: 1, evicted_manual: 1 })
  })

  it('leaves element, vector and log untouched when any part of an eviction fails', async () => {
    // Given a store whose eviction log refuses writes
    const { store, eviction, ids } = await storeWith([element('a'), element('b', { costUsd: 0.05 })])
    store.db.exec("CREATE TEMP TRIGGER refuse BEFORE INSERT ON evictions BEGIN SELECT RAISE(ABORT, 'log unavailable'); END")
    // When an eviction is attempted
    const attempt = eviction.evictOverBudget({ budget: { maxEntries: 1 }, now: 0 })
    // Then it fails and both elements and both vectors are still there
    await expect(attempt).rejects.toThrow('log unavailable')
    expect(await store.get(ids.get('a')!)).toBeDefined()
    expect(vectorRows(store)).toBe(2)
    expect(await eviction.usage()).toEqual({ entries: 2, bytes: 200 })
  })

  it('evictExpired drops every expired element and nothing else', async () => {
    const { eviction } = await storeWith([element('e1', { expiresAt: 5 }), element('e2', { expiresAt: 6 }), element('live')])
    const evicted = await eviction.evictExpired(10)
    expect(evicted.map((e) => e.query)).toEqual(['e1', 'e2'])
    expect((await eviction.usage()).entries).toBe(1)
  })
})

describe('element usage totals', () => {
  it('follow inserts and deletes made by any path', async () => {
    const { store, eviction, ids } = await storeWith([element('a', { sizeBytes: 10 }), element('b', { sizeBytes: 20, namespace: 'n2' })])
    expect(await eviction.usage()).toEqual({ entries: 2, bytes: 30 })
    await store.delete([ids.get('a')!])
    expect(await eviction.usage()).toEqual({ entries: 1, bytes: 20 })
    await store.clear()
    expect(await eviction.usage()).toEqual({ entries: 0, bytes: 0 })
  })

  it('are computed for a cache file written before this migration', async () => {
    // Given a file at schema version 1 holding two elements
    const path = join(tempDir(), 'old.sqlite')
    const db = new Database(path)
    sqliteVec.load(db)
    db.exec(MIGRATIONS[0])
    db.pragma('user_version = 1')
    const insert = db.prepare(`INSERT INTO elements (namespace, tool, args_json, scope_key, embedder, query, normalized_query, result_json,
      latency_ms, cost_usd, staticity, size_bytes, created_at, last_access_at, expires_at) VALUES ('default', 'search', '{}', 's', 'e', ?, ?, '{}', 400, 0.005, 7, 50, 0, 0, 1)`)
    insert.run('q1', 'q1')
    insert.run('q2', 'q2')
    db.close()
    // When it is opened by this version
    const store = openStore(path)
    // Then the totals and the LCFU column are there
    expect(await new SqliteEvictionStore(store).usage()).toEqual({ entries: 2, bytes: 100 })
    const { lcfu_value } = store.db.prepare('SELECT lcfu_value FROM elements LIMIT 1').get() as { lcfu_value: number }
    expect(lcfu_value).toBeCloseTo(lcfuScore({ frequency: 0, costUsd: 0.005, latencyMs: 400, staticity: 7, sizeBytes: 50 }), 12)
    // and the elements, stored before sources were recorded, name none and wait to be adopted
    expect(store.db.prepare('SELECT DISTINCT source FROM elements').all()).toEqual([{ source: '' }])
    expect(store.db.prepare('SELECT count(*) AS n FROM unrecorded_sources').get()).toEqual({ n: 2 })
    await store.close()
  })
})
