import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cacheStats } from '../../src/core/admin/stats.js'
import { ManualClock } from '../../src/core/clock.js'
import type { CacheBudget } from '../../src/core/eviction.js'
import { PrefetchBudget, stateKey, type PrefetchOptions, type PrefetchTarget } from '../../src/core/prefetch.js'
import { SemanticCache } from '../../src/core/cache/semantic-cache.js'
import { sqlitePolicyStores } from '../../src/store/sqlite/sqlite-policy-stores.js'
import { openStore } from '../../src/store/sqlite/sqlite-store.js'
import { FakeEmbedder } from '../helpers/fake-embedder.js'
import { useTempDirs } from '../helpers/temp-dir.js'
import { contextOf } from '../../src/core/cache/cache-context.js'

const tempDir = useTempDirs()
const docs = (text: string) => ({ documents: [{ id: text, text }] })
const A = 'who founded the roman empire'
const B = 'when did the roman empire fall'
const C = 'what language did romans speak'

/** A knowledge source for prefetches that records what it was asked. */
function recordingLoader() {
  const asked: PrefetchTarget[] = []
  const loader = async (target: PrefetchTarget) => {
    asked.push(target)
    return { result: docs(`fresh ${target.query}`), latencyMs: 400, costUsd: 0.005 }
  }
  return { asked, loader }
}

function makeCache(prefetch: PrefetchOptions, { path = join(tempDir(), 'cache.sqlite'), budget }: { path?: string; budget?: CacheBudget } = {}) {
  const store = openStore(path)
  const clock = new ManualClock(1_000_000)
  const cache = new SemanticCache({ store, embedder: new FakeEmbedder(), clock, thresholds: { tauSim: 0.6 }, policyStores: sqlitePolicyStores(store), prefetch, budget })
  const ask = (query: string, session: string) => cache.fetchThrough(query, async () => ({ result: docs(query), latencyMs: 400, costUsd: 0.005 }), { session })
  return { cache, clock, ask, path }
}

type Ask = (query: string, session: string) => Promise<unknown>

/** One session asking these questions in order. */
async function walk(ask: Ask, session: string, ...queries: string[]) {
  for (const query of queries) await ask(query, session)
}

async function trainAThenB(ask: Ask, sessions = 3) {
  for (let s = 0; s < sessions; s++) await walk(ask, `train-${s}`, A, B)
}

const scopeKeyOf = (cache: SemanticCache) => contextOf(cache).store.all().then((all) => all[0].scopeKey)

describe('Prefetcher: the Markov model', () => {
  it('counts what each session needs next, from hits and misses alike, never across sessions', async () => {
    // Given two sessions interleaved: s1 asks A then B then A again (a hit) then C; s2 asks C once in between
    const { cache, ask } = makeCache({ enabled: false })
    await ask(A, 's1')
    await ask(C, 's2')
    await ask(B, 's1')
    await ask(A, 's1')
    await ask(C, 's1')
    // When the successors of A are read from the model
    const scope = await scopeKeyOf(cache)
    const fromA = await contextOf(cache).policyStores!.transitions.successors(stateKey(scope, A), 5)
    const fromB = await contextOf(cache).policyStores!.transitions.successors(stateKey(scope, B), 5)
    // Then A was followed by B once and C once in s1 (s2's C right after s1's A is not a transition), and B by A
    expect(fromA.total).toBe(2)
    expect(fromA.successors.map((s) => [s.target.query, s.probability]).sort()).toEqual([[B, 0.5], [C, 0.5]].sort())
    expect(fromB.successors.map((s) => s.target.query)).toEqual([A])
  })

  it('does not count a session asking for the same element twice in a row', async () => {
    const { cache, ask } = makeCache({ enabled: false })
    await ask(A, 's1')
    await ask(A, 's1')
    const scope = await scopeKeyOf(cache)
    expect((await contextOf(cache).policyStores!.transitions.successors(stateKey(scope, A), 5)).total).toBe(0)
  })
})

describe('Prefetcher: fetching ahead', () => {
  it('fetches the likely next element in the background when it is missing, and counts the hits it produces', async () => {
    // Given a model that has seen A followed by B in three sessions, and B since evicted
    const { asked, loader } = recordingLoader()
    const { cache, ask } = makeCache({ enabled: true, loader, threshold: 0.5, minObservations: 3 })
    await trainAThenB(ask)
    const b = (await contextOf(cache).store.all()).find((e) => e.query === B)!
    await cache.delete([b.id])
    // When a new session asks A and background work settles
    const first = await ask(A, 'live')
    await cache.settle()
    // Then B was fetched for it, stored with frequency 0 and origin prefetch, and the session's next request hits it
    expect(first.source).toBe('cache')
    expect(asked.map((t) => [t.query, t.tool, t.namespace])).toEqual([[B, 'search', 'default']])
    const prefetched = (await contextOf(cache).store.all()).find((e) => e.query === B)!
    expect(prefetched).toMatchObject({ origin: 'prefetch', frequency: 0, costUsd: 0.005, latencyMs: 400 })
    const next = await ask(B, 'live')
    expect(next).toMatchObject({ source: 'cache', element: { id: prefetched.id } })
    const stats = await cacheStats(cache)
    expect(stats.prefetch).toEqual({ prefetches: 1, costUsd: 0.005, used: 1, hits: 1, precision: 1, overBudget: 0 })
  })

  it('fetches nothing unless enabled (every prefetch is a paid call)', async () => {
    const { asked, loader } = recordingLoader()
    const { cache, ask } = makeCache({ loader })
    await trainAThenB(ask)
    await cache.delete([(await contextOf(cache).store.all()).find((e) => e.query === B)!.id])
    await ask(A, 'live')
    await cache.settle()
    expect(asked).toEqual([])
  })

  it('fetches nothing below the probability threshold', async () => {
    // Given A followed by B twice and by C once: P(B | A) = 2/3 < 0.9, with B and C evicted
    const { asked, loader } = recordingLoader()
    const { cache, ask } = makeCache({ enabled: true, loader, threshold: 0.9, minObservations: 3 })
    await walk(ask, 's1', A, B)
    await walk(ask, 's2', A, B)
    await walk(ask, 's3', A, C)
    await cache.delete((await contextOf(cache).store.all()).filter((e) => e.query !== A).map((e) => e.id))
    // When a session asks A, nothing is fetched
    await ask(A, 'live')
    await cache.settle()
    expect(asked).toEqual([])
  })

  it('fetches nothing on too few observations, or when the next element is already there', async () => {
    const { asked, loader } = recordingLoader()
    const { cache, ask } = makeCache({ enabled: true, loader, minObservations: 3 })
    await trainAThenB(ask, 2)
    await cache.delete([(await contextOf(cache).store.all()).find((e) => e.query === B)!.id])
    await ask(A, 'live-1')
    await cache.settle()
    expect(asked).toEqual([])
    await walk(ask, 'train-3', A, B)
    await ask(A, 'live-2')
    await cache.settle()
    expect(asked).toEqual([])
  })

  it('keeps what it learned across a restart', async () => {
    // Given a model trained in one process, with B then evicted
    const { asked, loader } = recordingLoader()
    const before = makeCache({ enabled: true, loader })
    await trainAThenB(before.ask)
    await before.cache.delete([(await contextOf(before.cache).store.all()).find((e) => e.query === B)!.id])
    await before.cache.close()
    // When a new cache opens the same file and a session asks A
    const after = makeCache({ enabled: true, loader }, { path: before.path })
    await after.ask(A, 'live')
    await after.cache.settle()
    // Then it prefetches B from the persisted counts
    expect(asked.map((t) => t.query)).toEqual([B])
  })

  it('stops at the per-minute budget and counts what it skipped', async () => {
    // Given C always followed by A, one prefetch a minute allowed, and A missing
    const { asked, loader } = recordingLoader()
    const { cache, ask, clock } = makeCache({ enabled: true, loader, maxPerMinute: 1, minObservations: 1 })
    await walk(ask, 's1', C, A)
    const dropA = async () => cache.delete((await contextOf(cache).store.all()).filter((e) => e.query === A).map((e) => e.id))
    await dropA()
    // When two sessions ask C within the same minute (A dropped again in between)
    await ask(C, 'live-1')
    await cache.settle()
    await dropA()
    await ask(C, 'live-2')
    await cache.settle()
    // Then only the first prefetch goes out, the second is counted as over budget
    expect(asked.map((t) => t.query)).toEqual([A])
    expect((await cacheStats(cache)).prefetch.overBudget).toBe(1)
    // And a minute later it may fetch again
    clock.advance(61_000)
    await ask(C, 'live-3')
    await cache.settle()
    expect(asked.map((t) => t.query)).toEqual([A, A])
  })
})

describe('Prefetcher: protection from eviction', () => {
  it('spares a prefetched element until its first hit, then lets it compete like any other', async () => {
    // Given a cache of two elements, a model that has seen A followed by B, and B evicted
    const { loader } = recordingLoader()
    const { cache, ask } = makeCache({ enabled: true, loader, minObservations: 1 }, { budget: { maxEntries: 2 } })
    const dear = (query: string) => cache.store({ query, result: docs(query), latencyMs: 400, costUsd: 0.05 })
    await walk(ask, 's1', A, B)
    await cache.delete([(await contextOf(cache).store.all()).find((e) => e.query === B)!.id])
    // When a session asks A (B is prefetched) and two more valuable elements are stored before it asks B
    await ask(A, 'live')
    await cache.settle()
    await dear('unrelated question one')
    await dear('unrelated question two')
    // Then B is still there and serves the session's next request
    expect((await ask(B, 'live')).source).toBe('cache')
    // And once hit, it is the least valuable element like any other, and goes at the next store
    await dear('unrelated question three')
    expect((await contextOf(cache).store.all()).map((e) => e.query)).not.toContain(B)
  })

  it('spares it for protectForMs at most', async () => {
    const { loader } = recordingLoader()
    const { cache, ask, clock } = makeCache({ enabled: true, loader, minObservations: 1, protectForMs: 5000 }, { budget: { maxEntries: 2 } })
    await walk(ask, 's1', A, B)
    await cache.delete([(await contextOf(cache).store.all()).find((e) => e.query === B)!.id])
    await ask(A, 'live')
    await cache.settle()
    clock.advance(5001)
    for (const query of ['unrelated question one', 'unrelated question two']) await cache.store({ query, result: docs(query), latencyMs: 400, costUsd: 0.05 })
    expect((await contextOf(cache).store.all()).map((e) => e.query)).not.toContain(B)
  })
})

describe('PrefetchBudget', () => {
  it('allows at most maxPerMinute prefetches in any minute', () => {
    const budget = new PrefetchBudget(2, 100)
    expect(budget.reserve(0, 0.01)).toBeDefined()
    expect(budget.reserve(10_000, 0.01)).toBeDefined()
    expect(budget.reserve(59_000, 0.01)).toBeUndefined()
    expect(budget.reserve(60_001, 0.01)).toBeDefined()
  })

  it('keeps the dollars of the last hour under maxCostPerHourUsd, counting what calls really cost', () => {
    const budget = new PrefetchBudget(100, 0.02)
    const first = budget.reserve(0, 0.01)!
    expect(budget.reserve(1, 0.01)).toBeDefined()
    expect(budget.reserve(2, 0.01)).toBeUndefined()
    budget.settle(first, 0)
    expect(budget.reserve(3, 0.01)).toBeDefined()
    expect(budget.reserve(3_600_002, 0.02)).toBeUndefined()
    expect(budget.reserve(3_600_004, 0.01)).toBeDefined()
  })
})
