import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { NewElement } from '../../../src/core/ports/cache-store.js'
import { AsteriaError } from '../../../src/core/errors.js'
import { openStore } from '../../../src/store/sqlite/sqlite-store.js'
import { MMAP_BYTES, WAL_LIMIT_BYTES } from '../../../src/store/sqlite/open-store.js'
import { useTempDirs } from '../../helpers/temp-dir.js'

const tempDir = useTempDirs()
const EMBEDDER = { fingerprint: 'test:unit3', model: 'unit', dimensions: 3 }

function element(query: string, scope: string, expiresAt = 10_000): NewElement {
  return {
    query, normalizedQuery: query.toLowerCase(), namespace: 'default', tool: 'search', args: {}, scopeKey: scope, source: '',
    embedder: EMBEDDER.fingerprint, result: { documents: [{ id: '1', text: query }] }, latencyMs: 400, costUsd: 0.005,
    staticity: 7, frequency: 0, sizeBytes: 10, createdAt: 0, lastAccessAt: 0, expiresAt, origin: 'miss',
  }
}

const vec = (...v: number[]) => new Float32Array(v)

describe('SqliteStore', () => {
  it('cuts its write-ahead log back to WAL_LIMIT_BYTES once a checkpoint has emptied it', async () => {
    // Given a cache that has just written more than the limit in one transaction
    const path = join(tempDir(), 'cache.sqlite')
    const store = openStore(path)
    await store.registerEmbedder(EMBEDDER)
    const page = 'x'.repeat(1 << 20)
    const big = Array.from({ length: Math.ceil(WAL_LIMIT_BYTES / (1 << 20)) + 4 }, (_, i) => ({
      element: { ...element(`big ${i}`, 'scope-a'), result: { documents: [{ id: String(i), text: page }] } },
      embedding: vec(1, 0, i),
    }))
    await store.insert(big)
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(WAL_LIMIT_BYTES)
    // When the next small writes restart the log after the automatic checkpoint
    await store.insert([{ element: element('small 1', 'scope-a'), embedding: vec(0, 1, 0) }])
    await store.insert([{ element: element('small 2', 'scope-a'), embedding: vec(0, 0, 1) }])
    // Then the log on disk is back within the limit, and nothing written is lost
    expect(statSync(`${path}-wal`).size).toBeLessThanOrEqual(WAL_LIMIT_BYTES)
    expect((await store.nearest(EMBEDDER.fingerprint, 'scope-a', vec(1, 0, 3), 1, 0))[0].element.query).toBe('big 3')
    await store.close()
  })

  it('maps the file up to SQLite\'s cap by default, and reads pages by system call with mapBytes 0, finding the same neighbours', async () => {
    // Given one cache file opened mapped (the default) and read
    const path = join(tempDir(), 'cache.sqlite')
    const writer = openStore(path)
    await writer.registerEmbedder(EMBEDDER)
    await writer.insert([{ element: element('a1', 'scope-a'), embedding: vec(1, 0, 0) }, { element: element('a2', 'scope-a'), embedding: vec(0, 1, 0) }])
    await writer.close()
    const mapped = openStore(path)
    const read = openStore(path, { mapBytes: 0 })
    // Then SQLite maps as told, and both find the same nearest element
    expect(mapped.db.pragma('mmap_size', { simple: true })).toBe(MMAP_BYTES)
    expect(read.db.pragma('mmap_size', { simple: true })).toBe(0)
    for (const store of [mapped, read]) {
      await store.registerEmbedder(EMBEDDER)
      expect((await store.nearest(EMBEDDER.fingerprint, 'scope-a', vec(0.1, 1, 0), 1, 0)).map((f) => f.element.query)).toEqual(['a2'])
      await store.close()
    }
  })

  it('stores elements with their vectors in a real sqlite-vec file and finds neighbours in scope only', async () => {
    // Given a store file with elements in two scopes
    const path = join(tempDir(), 'cache.sqlite')
    const store = openStore(path)
    await store.registerEmbedder(EMBEDDER)
    await store.insert([
      { element: element('a1', 'scope-a'), embedding: vec(1, 0, 0) },
      { element: element('a2', 'scope-a'), embedding: vec(0.8, 0.6, 0) },
      { element: element('b1', 'scope-b'), embedding: vec(1, 0, 0) },
    ])
    // When searching scope a
    const found = await store.nearest(EMBEDDER.fingerprint, 'scope-a', vec(1, 0, 0), 10, 0)
    // Then only scope a's elements come back, nearest first, with cosine similarity
    expect(found.map((f) => f.element.query)).toEqual(['a1', 'a2'])
    expect(found[0].similarity).toBeCloseTo(1, 5)
    expect(found[1].similarity).toBeCloseTo(0.8, 5)
    await store.close()
  })

  it('never returns expired elements, by exact key or by vector', async () => {
    const store = openStore(join(tempDir(), 'c.sqlite'))
    await store.registerEmbedder(EMBEDDER)
    await store.insert([{ element: element('old', 's', 100), embedding: vec(1, 0, 0) }])
    expect(await store.findExact('s', 'old', 99)).toBeDefined()
    expect(await store.findExact('s', 'old', 100)).toBeUndefined()
    expect(await store.nearest(EMBEDDER.fingerprint, 's', vec(1, 0, 0), 5, 100)).toEqual([])
  })

  it('persists across reopen, with private file permissions', async () => {
    const path = join(tempDir(), 'deep', 'cache.sqlite')
    const first = openStore(path)
    await first.registerEmbedder(EMBEDDER)
    const [stored] = await first.insert([{ element: element('kept', 's'), embedding: vec(0, 1, 0) }])
    await first.recordHit(stored.id, 50)
    await first.close()
    const second = openStore(path)
    const again = await second.get(stored.id)
    expect(again).toMatchObject({ query: 'kept', frequency: 1, lastAccessAt: 50, expiresAt: 10_000 })
    expect(await second.getEmbedding(stored.id)).toEqual(vec(0, 1, 0))
    expect(statSync(path).mode & 0o777).toBe(0o600)
    await second.close()
  })

  it('deletes the element row and its vector together', async () => {
    const store = openStore(join(tempDir(), 'c.sqlite'))
    await store.registerEmbedder(EMBEDDER)
    const [a] = await store.insert([{ element: element('a', 's'), embedding: vec(1, 0, 0) }])
    expect(await store.delete([a.id, 999])).toBe(1)
    expect(await store.get(a.id)).toBeUndefined()
    expect(await store.nearest(EMBEDDER.fingerprint, 's', vec(1, 0, 0), 5, 0)).toEqual([])
  })

  it('writes nothing when one of a batch fails', async () => {
    const store = openStore(join(tempDir(), 'c.sqlite'))
    await store.registerEmbedder(EMBEDDER)
    const insert = store.insert([
      { element: element('good', 's'), embedding: vec(1, 0, 0) },
      { element: element('bad', 's'), embedding: vec(1, 0) },
    ])
    await expect(insert).rejects.toThrow(/3-d vector/)
    expect(await store.all()).toEqual([])
  })

  it('refuses an embedder whose dimensions changed under the same fingerprint', async () => {
    const store = openStore(join(tempDir(), 'c.sqlite'))
    await store.registerEmbedder(EMBEDDER)
    await expect(store.registerEmbedder({ ...EMBEDDER, dimensions: 4 })).rejects.toThrow(/3-d vectors/)
  })

  it('keeps counters and thresholds per namespace and embedder', async () => {
    const store = openStore(join(tempDir(), 'c.sqlite'))
    await store.addCounters('a', { hits_exact: 1, requests: 2 })
    await store.addCounters('a', { requests: 1 })
    await store.addCounters('b', { requests: 5 })
    expect(await store.counters('a')).toEqual({ hits_exact: 1, requests: 3 })
    expect((await store.counters()).requests).toBe(8)
    await store.setThresholds('emb', 'guard', { tauSim: 0.7, tauJudge: 0.5, updatedAt: 1 })
    expect(await store.getThresholds('emb', 'guard')).toEqual({ tauSim: 0.7, tauJudge: 0.5, updatedAt: 1 })
    expect(await store.getThresholds('emb', 'none')).toBeUndefined()
  })

  it('lists with filters and sorting, and clears one namespace', async () => {
    const store = openStore(join(tempDir(), 'c.sqlite'))
    await store.registerEmbedder(EMBEDDER)
    const [a, b] = await store.insert([
      { element: { ...element('cheap 100%_ question', 's'), costUsd: 0.001 }, embedding: vec(1, 0, 0) },
      { element: { ...element('costly question', 's'), costUsd: 0.01, namespace: 'other' }, embedding: vec(0, 1, 0) },
    ])
    await store.recordHit(a.id, 5)
    expect((await store.list({ now: 0, sort: 'cost' })).map((e) => e.id)).toEqual([b.id, a.id])
    expect((await store.list({ now: 0, sort: 'hits', limit: 1 })).map((e) => e.id)).toEqual([a.id])
    expect((await store.list({ now: 0, search: '100%_' })).map((e) => e.id)).toEqual([a.id])
    expect((await store.list({ now: 0, search: '%' })).map((e) => e.id)).toEqual([a.id])
    expect(await store.list({ now: 20_000, expired: false })).toEqual([])
    expect(await store.clear('other')).toBe(1)
    expect((await store.all()).map((e) => e.id)).toEqual([a.id])
    expect((await store.summary(0)).elements).toBe(1)
  })

  it('refuses a corrupt file and a foreign database with a clear error', () => {
    const dir = tempDir()
    const garbage = join(dir, 'garbage.sqlite')
    writeFileSync(garbage, 'this is not a database'.repeat(100))
    expect(() => openStore(garbage)).toThrow(AsteriaError)
    expect(() => openStore(garbage)).toThrow(/not a SQLite database or is corrupt/)
    const foreign = join(dir, 'foreign.sqlite')
    const db = new Database(foreign)
    db.exec('CREATE TABLE notes (body TEXT)')
    db.close()
    expect(() => openStore(foreign)).toThrow(/another program/)
  })

  it('gives each scope a small vector chunk, not 2 MB: 100 elements of 498 dimensions in 100 scopes stay under 20 MB', async () => {
    // Given a cache with the built-in embedder's dimensions
    const path = join(tempDir(), 'scopes.sqlite')
    const store = openStore(path)
    await store.registerEmbedder({ fingerprint: 'test:498', model: 'unit', dimensions: 498 })
    // When 100 elements are stored, each in a scope of its own (vec0's default chunks made this 206 MB)
    const embedding = new Float32Array(498).fill(0.05)
    for (let i = 0; i < 100; i++) await store.insert([{ element: { ...element(`q${i}`, `scope-${i}`), embedder: 'test:498' }, embedding }])
    await store.close()
    // Then the file stays small
    expect(statSync(path).size).toBeLessThan(20e6)
  })

  it('indexes the vector chunks by scope, also in a file made before the index existed', async () => {
    // Given a store file whose vector table lost its partition index (as files made before it)
    const path = join(tempDir(), 'old.sqlite')
    const store = openStore(path)
    await store.registerEmbedder(EMBEDDER)
    await store.insert([{ element: element('a1', 'scope-a'), embedding: vec(1, 0, 0) }])
    const table = (store.db.prepare('SELECT vector_table AS t FROM embedders').get() as { t: string }).t
    const plan = () => (store.db.prepare(`EXPLAIN QUERY PLAN SELECT chunk_id FROM ${table}_chunks WHERE partition00 = ?`).all('scope-a') as { detail: string }[]).map((r) => r.detail).join()
    expect(plan()).toMatch(/USING COVERING INDEX/)
    store.db.exec(`DROP INDEX ${table}_chunks_partition`)
    await store.close()
    // When it is opened again
    const reopened = openStore(path)
    const indexed = (reopened.db.prepare(`EXPLAIN QUERY PLAN SELECT chunk_id FROM ${table}_chunks WHERE partition00 = ?`).all('scope-a') as { detail: string }[]).map((r) => r.detail).join()
    // Then a scope's chunks are found through the index again, and the element still answers
    expect(indexed).toMatch(/USING COVERING INDEX/)
    expect((await reopened.nearest(EMBEDDER.fingerprint, 'scope-a', vec(1, 0, 0), 5, 0)).map((c) => c.element.query)).toEqual(['a1'])
    await reopened.close()
  })

  it('never reuses an element id, even after the newest element is deleted or the cache cleared', async () => {
    // Given three elements, the newest of them deleted
    const store = openStore(join(tempDir(), 'ids.sqlite'))
    await store.registerEmbedder(EMBEDDER)
    const stored = await store.insert(['a', 'b', 'c'].map((q) => ({ element: element(q, 's'), embedding: vec(1, 0, 0) })))
    await store.delete([stored[2].id])
    // When another is stored, and another after the whole cache is cleared
    const [next] = await store.insert([{ element: element('d', 's'), embedding: vec(0, 1, 0) }])
    await store.clear()
    const [afterClear] = await store.insert([{ element: element('e', 's'), embedding: vec(0, 0, 1) }])
    // Then each gets an id no element had before
    expect(stored.map((e) => e.id)).toEqual([1, 2, 3])
    expect([next.id, afterClear.id]).toEqual([4, 5])
    expect((await store.nearest(EMBEDDER.fingerprint, 's', vec(0, 0, 1), 5, 0)).map((c) => [c.element.id, c.element.query])).toEqual([[5, 'e']])
    await store.close()
  })
})
