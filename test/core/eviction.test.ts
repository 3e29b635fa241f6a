import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cacheStats } from '../../src/core/admin/stats.js'
import { ManualClock } from '../../src/core/clock.js'
import { AsteriaError } from '../../src/core/errors.js'
import { checkBudget, isOverBudget, lcfuScore } from '../../src/core/eviction.js'
import { pruneCache } from '../../src/core/admin/prune.js'
import { SemanticCache } from '../../src/core/cache/semantic-cache.js'
import { type CacheOptions } from '../../src/core/cache/cache-options.js'
import { sqlitePolicyStores } from '../../src/store/sqlite/sqlite-policy-stores.js'
import { openStore } from '../../src/store/sqlite/sqlite-store.js'
import { FakeEmbedder } from '../helpers/fake-embedder.js'
import { useTempDirs } from '../helpers/temp-dir.js'
import { contextOf } from '../../src/core/cache/cache-context.js'

const tempDir = useTempDirs()
const docs = (text: string) => ({ documents: [{ id: text, text }] })

function makeCache(options: Partial<CacheOptions> = {}) {
  const clock = new ManualClock(1_000_000)
  const store = openStore(join(tempDir(), 'cache.sqlite'))
  const cache = new SemanticCache({ store, embedder: new FakeEmbedder(), clock, policyStores: sqlitePolicyStores(store), ...options })
  return { cache, clock, store }
}

describe('lcfuScore', () => {
  it('is log(freq+2)·log(cost·1e3+1)·log(latency_s+1)·log(staticity+1)/size', () => {
    // Given an element seen twice, $0.005 and 400 ms per call, staticity 7, 1,000 bytes
    const score = lcfuScore({ frequency: 2, costUsd: 0.005, latencyMs: 400, staticity: 7, sizeBytes: 1000 })
    // Then its value is the product of the four logs over the size, worked out by hand
    expect(score).toBeCloseTo((Math.log(4) * Math.log(6) * Math.log(1.4) * Math.log(8)) / 1000, 15)
    expect(score).toBeCloseTo(0.001738, 6)
  })

  it('is above zero for a new element, zero for a free or instant source, and grows with hits', () => {
    const base = { frequency: 0, costUsd: 0.005, latencyMs: 400, staticity: 5, sizeBytes: 100 }
    expect(lcfuScore(base)).toBeGreaterThan(0)
    expect(lcfuScore({ ...base, costUsd: 0 })).toBe(0)
    expect(lcfuScore({ ...base, latencyMs: 0 })).toBe(0)
    expect(lcfuScore({ ...base, frequency: 5 })).toBeGreaterThan(lcfuScore(base))
    expect(lcfuScore({ ...base, sizeBytes: 1000 })).toBeLessThan(lcfuScore(base))
  })
})

describe('checkBudget', () => {
  it('fills in the default policy and rejects limits that are not whole numbers of at least 1', () => {
    expect(checkBudget({ maxEntries: 10 })).toEqual({ maxEntries: 10, policy: 'lcfu' })
    expect(() => checkBudget({ maxEntries: 0 })).toThrow(AsteriaError)
    expect(() => checkBudget({ maxBytes: 1.5 })).toThrow(/maxBytes to be a whole number/)
    expect(() => checkBudget({ policy: 'fifo' as never })).toThrow(/lcfu, lru, lfu/)
  })

  it('isOverBudget looks at each limit that is set', () => {
    expect(isOverBudget({ entries: 3, bytes: 10 }, { maxEntries: 3 })).toBe(false)
    expect(isOverBudget({ entries: 4, bytes: 10 }, { maxEntries: 3 })).toBe(true)
    expect(isOverBudget({ entries: 1, bytes: 11 }, { maxBytes: 10, maxEntries: 5 })).toBe(true)
    expect(isOverBudget({ entries: 100, bytes: 100 }, {})).toBe(false)
  })
})

describe('SemanticCache with a budget', () => {
  it('evicts after each store down to the budget, keeping the element just stored', async () => {
    // Given a cache limited to two elements, with answers from a dear and a cheap source
    const { cache } = makeCache({ budget: { maxEntries: 2 } })
    await cache.store({ query: 'dear question about rivers', result: docs('r'), latencyMs: 400, costUsd: 0.005 })
    await cache.store({ query: 'cheap question about lakes', result: docs('l'), latencyMs: 60, costUsd: 0.0005 })
    // When a third element, cheaper still, is stored
    const third = await cache.store({ query: 'cheapest question about ponds', result: docs('p'), latencyMs: 50, costUsd: 0.0001 })
    // Then the cheap one leaves (the new one is protected), the eviction is logged and counted
    const left = (await contextOf(cache).store.all()).map((e) => e.query)
    expect(left).toEqual(['dear question about rivers', third.query])
    const stats = await cacheStats(cache)
    expect(stats.evictions).toMatchObject({ lcfu: 1, expired: 0, total: 1 })
    expect((await contextOf(cache).policyStores!.eviction.log())[0]).toMatchObject({ query: 'cheap question about lakes', reason: 'lcfu' })
  })

  it('evicts by bytes under lru when asked to', async () => {
    // Given room for two results of 100 bytes, and the older of two stored elements read again
    const hundredBytes = (c: string) => ({ text: c.repeat(89) })
    const { cache, clock } = makeCache({ budget: { maxBytes: 200, policy: 'lru' } })
    await cache.store({ query: 'first question', result: hundredBytes('x') })
    clock.advance(10)
    await cache.store({ query: 'second question', result: hundredBytes('y') })
    clock.advance(10)
    await cache.lookup('first question')
    // When a third is stored
    await cache.store({ query: 'third question', result: hundredBytes('z') })
    // Then the least recently used one left, to keep 200 bytes
    expect((await contextOf(cache).store.all()).map((e) => [e.query, e.sizeBytes])).toEqual([['first question', 100], ['third question', 100]])
  })

  it('changes nothing without a budget, and cannot be asked for one without policy tables', async () => {
    const { cache } = makeCache({ policyStores: undefined })
    for (const q of ['one question', 'two question', 'three question']) await cache.store({ query: q, result: docs(q) })
    expect((await contextOf(cache).store.all()).length).toBe(3)
    expect((await cacheStats(cache)).evictions.total).toBe(0)
    const store = openStore(join(tempDir(), 'other.sqlite'))
    expect(() => new SemanticCache({ store, embedder: new FakeEmbedder(), budget: { maxEntries: 5 } })).toThrow(/need tables/)
  })
})

describe('pruneCache', () => {
  it('drops every expired element, then evicts by policy down to the budget', async () => {
    // Given two short-lived elements that have expired and three live ones
    const { cache, clock } = makeCache()
    await cache.store({ query: 'weather today in paris', result: docs('rain'), ttlMs: 1000 })
    await cache.store({ query: 'price of bitcoin now', result: docs('high'), ttlMs: 1000 })
    for (const q of ['who wrote hamlet', 'who painted the mona lisa', 'what is dna']) {
      await cache.store({ query: q, result: docs(q), latencyMs: 400, costUsd: q === 'what is dna' ? 0.0001 : 0.005 })
    }
    clock.advance(5000)
    // When the cache is pruned to two elements
    const report = await pruneCache(cache, { maxEntries: 2 })
    // Then both expired ones go, then the cheapest live one
    expect(report.byReason).toMatchObject({ expired: 2, lcfu: 1 })
    expect(report.before.entries).toBe(5)
    expect(report.after.entries).toBe(2)
    expect(report.evicted.at(-1)!.query).toBe('what is dna')
  })
})
