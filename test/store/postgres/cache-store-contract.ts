import { expect, it } from 'vitest'
import type { CacheStore, NewElement } from '../../../src/core/ports/cache-store.js'

/**
 * What every CacheStore must do, whatever it stores in: the same cases run against the SQLite
 * store, the PostgreSQL store and the tiered store. `settle` waits for work a store does in the
 * background (the tiered store's shared-tier counter updates).
 */
export interface ContractSubject {
  store: CacheStore
  settle?: () => Promise<void>
}

export const EMBEDDER = { fingerprint: 'test:unit3', model: 'unit', dimensions: 3 }
export const vec = (...v: number[]) => new Float32Array(v)

export function element(query: string, scope: string, expiresAt = 10_000): NewElement {
  return {
    query, normalizedQuery: query.toLowerCase(), namespace: 'default', tool: 'search', args: {}, scopeKey: scope, source: '',
    embedder: EMBEDDER.fingerprint, result: { documents: [{ id: '1', text: query }] }, latencyMs: 400, costUsd: 0.005,
    staticity: 7, frequency: 0, sizeBytes: 10, createdAt: 0, lastAccessAt: 0, expiresAt, origin: 'miss',
  }
}

export function cacheStoreContract(open: () => Promise<ContractSubject>): void {
  it('finds neighbours within the scope only, nearest first, with cosine similarity', async () => {
    // Given elements in two scopes
    const { store } = await open()
    await store.registerEmbedder(EMBEDDER)
    await store.insert([
      { element: element('a1', 'scope-a'), embedding: vec(1, 0, 0) },
      { element: element('a2', 'scope-a'), embedding: vec(0.8, 0.6, 0) },
      { element: element('b1', 'scope-b'), embedding: vec(1, 0, 0) },
    ])
    // When searching scope a
    const found = await store.nearest(EMBEDDER.fingerprint, 'scope-a', vec(1, 0, 0), 10, 0)
    // Then only scope a's elements come back, nearest first
    expect(found.map((f) => f.element.query)).toEqual(['a1', 'a2'])
    expect(found[0].similarity).toBeCloseTo(1, 5)
    expect(found[1].similarity).toBeCloseTo(0.8, 5)
  })

  it('never returns expired elements, by exact key or by vector, but finds them for any time', async () => {
    const { store } = await open()
    await store.registerEmbedder(EMBEDDER)
    await store.insert([{ element: element('old', 's', 100), embedding: vec(1, 0, 0) }])
    expect(await store.findExact('s', 'old', 99)).toBeDefined()
    expect(await store.findExact('s', 'old', 100)).toBeUndefined()
    expect(await store.nearest(EMBEDDER.fingerprint, 's', vec(1, 0, 0), 5, 100)).toEqual([])
    expect((await store.findExact('s', 'old', -Infinity))?.query).toBe('old')
  })

  it('keeps the knowledge source an element was fetched from', async () => {
    const { store } = await open()
    await store.registerEmbedder(EMBEDDER)
    const [stored] = await store.insert([{ element: { ...element('from tavily', 's'), source: 'tavily' }, embedding: vec(0, 0, 1) }])
    expect((await store.get(stored.id))?.source).toBe('tavily')
    expect((await store.findExact('s', 'from tavily', 0))?.source).toBe('tavily')
    expect((await store.nearest(EMBEDDER.fingerprint, 's', vec(0, 0, 1), 1, 0))[0].element.source).toBe('tavily')
  })

  it('keeps hits, access times, expiry and the vector of an element', async () => {
    const { store } = await open()
    await store.registerEmbedder(EMBEDDER)
    const [stored] = await store.insert([{ element: element('kept', 's'), embedding: vec(0, 1, 0) }])
    await store.recordHit(stored.id, 50)
    expect(await store.get(stored.id)).toMatchObject({ query: 'kept', frequency: 1, lastAccessAt: 50, expiresAt: 10_000, args: {} })
    expect(await store.getEmbedding(stored.id)).toEqual(vec(0, 1, 0))
  })

  it('deletes the element and its vector together', async () => {
    const { store } = await open()
    await store.registerEmbedder(EMBEDDER)
    const [a] = await store.insert([{ element: element('a', 's'), embedding: vec(1, 0, 0) }])
    expect(await store.delete([a.id, 999_999])).toBe(1)
    expect(await store.get(a.id)).toBeUndefined()
    expect(await store.nearest(EMBEDDER.fingerprint, 's', vec(1, 0, 0), 5, 0)).toEqual([])
  })

  it('writes nothing when one of a batch fails', async () => {
    const { store } = await open()
    await store.registerEmbedder(EMBEDDER)
    const insert = store.insert([
      { element: element('good', 's'), embedding: vec(1, 0, 0) },
      { element: element('bad', 's'), embedding: vec(1, 0) },
    ])
    await expect(insert).rejects.toThrow(/3-d vector/)
    expect(await store.all()).toEqual([])
  })

  it('refuses an embedder whose dimensions changed under the same fingerprint', async () => {
    const { store } = await open()
    await store.registerEmbedder(EMBEDDER)
    await expect(store.registerEmbedder({ ...EMBEDDER, dimensions: 4 })).rejects.toThrow(/3-d vectors/)
  })

  it('keeps counters and thresholds per namespace and embedder', async () => {
    const { store, settle } = await open()
    await store.addCounters('a', { hits_exact: 1, requests: 2 })
    await store.addCounters('a', { requests: 1 })
    await store.addCounters('b', { requests: 5 })
    await settle?.()
    expect(await store.counters('a')).toEqual({ hits_exact: 1, requests: 3 })
    expect((await store.counters()).requests).toBe(8)
    await store.setThresholds('emb', 'guard', { tauSim: 0.7, tauJudge: 0.5, updatedAt: 1 })
    expect(await store.getThresholds('emb', 'guard')).toEqual({ tauSim: 0.7, tauJudge: 0.5, updatedAt: 1 })
    expect(await store.getThresholds('emb', 'none')).toBeUndefined()
  })

  it('lists with filters and sorting, summarises, and clears one namespace', async () => {
    const { store } = await open()
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
    expect(await store.summary(20_000)).toMatchObject({ elements: 2, expired: 2, bytes: 20, byTool: { search: 2 } })
    expect(await store.clear('other')).toBe(1)
    expect((await store.all()).map((e) => e.id)).toEqual([a.id])
    expect((await store.summary(0)).embedders).toEqual([{ ...EMBEDDER, elements: 1 }])
  })

  it('lets one claimant at a time hold a lease, and a lapsed lease be taken', async () => {
    const { store } = await open()
    // Given a claim on a question
    const first = await store.acquireLease!('scope', 'who wrote hamlet', 60_000)
    // Then nobody else gets it until it is released, and other questions stay free
    expect(first).not.toBeNull()
    expect(await store.acquireLease!('scope', 'who wrote hamlet', 60_000)).toBeNull()
    const other = await store.acquireLease!('scope', 'who wrote macbeth', 60_000)
    expect(other).not.toBeNull()
    await first!.release()
    const second = await store.acquireLease!('scope', 'who wrote hamlet', 60_000)
    expect(second).not.toBeNull()
    // And a claim that lapsed (ttl 0) is taken over, after which its old holder cannot renew it
    const lapsed = await store.acquireLease!('scope', 'lapsing', 0)
    const taker = await store.acquireLease!('scope', 'lapsing', 60_000)
    expect(taker).not.toBeNull()
    expect(await lapsed!.renew(60_000)).toBe(false)
    expect(await taker!.renew(60_000)).toBe(true)
  })

  it('runs a named job in one place at a time', async () => {
    const { store } = await open()
    // When a second run of the job starts while the first is running
    let inner: unknown
    const outer = await store.withExclusive!('eviction', 60_000, async () => {
      inner = await store.withExclusive!('eviction', 60_000, async () => 'second')
      return 'first'
    })
    // Then only the first runs, and the job is free again afterwards
    expect(outer).toEqual({ ran: true, value: 'first' })
    expect(inner).toEqual({ ran: false })
    expect(await store.withExclusive!('eviction', 60_000, async () => 'again')).toEqual({ ran: true, value: 'again' })
  })
}
