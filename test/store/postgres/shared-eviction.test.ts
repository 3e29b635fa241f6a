import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { NewElement } from '../../../src/core/ports/cache-store.js'
import { lcfuScore } from '../../../src/core/eviction.js'
import { PostgresEvictionStore } from '../../../src/store/postgres/postgres-eviction-store.js'
import type { PostgresStore } from '../../../src/store/postgres/postgres-store.js'
import { pruneSharedTier } from '../../../src/store/tiered/prune-shared-tier.js'
import { openStore } from '../../../src/store/sqlite/sqlite-store.js'
import type { TieredStore } from '../../../src/store/tiered/tiered-store.js'
import { SHARED_EVICTION_JOB } from '../../../src/store/tiered/tiered-eviction.js'
import { useCliSandbox } from '../../helpers/run-cli.js'
import { useTempDirs } from '../../helpers/temp-dir.js'
import { usePostgres } from '../../helpers/use-postgres.js'
import { element, EMBEDDER, vec } from './cache-store-contract.js'

const tempDir = useTempDirs()
const cli = useCliSandbox()
const postgres = usePostgres()

const tiered = (url: string, everyMs?: number) => postgres.tiered(url, { timeoutMs: 5000, sharedEviction: { everyMs } })

/** Elements whose LCFU values differ by cost, latency, staticity and size. */
const VARIED: Partial<NewElement>[] = [
  { query: 'cheap', costUsd: 0.0001, latencyMs: 300, staticity: 5, sizeBytes: 100 },
  { query: 'costly', costUsd: 0.02, latencyMs: 2500, staticity: 9, sizeBytes: 100 },
  { query: 'large', costUsd: 0.005, latencyMs: 800, staticity: 7, sizeBytes: 5000 },
  { query: 'volatile', costUsd: 0.005, latencyMs: 800, staticity: 1, sizeBytes: 100 },
  { query: 'middling', costUsd: 0.005, latencyMs: 800, staticity: 7, sizeBytes: 100 },
]

async function storeVaried(store: PostgresStore): Promise<void> {
  await store.registerEmbedder(EMBEDDER)
  await store.insert(VARIED.map((v, i) => ({ element: { ...element(v.query!, 's'), ...v }, embedding: vec(1, i, 0) })))
}

describe('eviction of the shared tier', () => {
  it('evicts expired elements first, then in ascending LCFU value (the order lcfuScore gives), and logs and counts each', async () => {
    // Given five live elements of different value and one expired one
    const store = postgres.shared()
    await storeVaried(store)
    await store.insert([{ element: element('stale', 's', 50), embedding: vec(0, 0, 1) }])
    const eviction = new PostgresEvictionStore(store.db)
    // When the budget allows three elements at time 100
    const evicted = await eviction.evictOverBudget({ budget: { maxEntries: 3 }, now: 100 })
    // Then the expired one goes first, then the two of lowest LCFU value
    const byValue = VARIED.map((v) => ({ query: v.query!, value: lcfuScore({ ...element(v.query!, 's'), ...v } as Parameters<typeof lcfuScore>[0]) })).sort((a, b) => a.value - b.value)
    expect(evicted.map((e) => [e.query, e.reason])).toEqual([['stale', 'expired'], [byValue[0].query, 'lcfu'], [byValue[1].query, 'lcfu']])
    expect(await eviction.usage()).toEqual({ entries: 3, bytes: VARIED.filter((v) => !evicted.some((e) => e.query === v.query)).reduce((s, v) => s + v.sizeBytes!, 0) })
    expect((await eviction.log()).map((e) => e.query)).toEqual(evicted.map((e) => e.query).reverse())
    expect(await store.counters('default')).toMatchObject({ evicted_expired: 1, evicted_lcfu: 2 })
    // And the evicted elements' vectors are gone with them
    expect((await store.nearest(EMBEDDER.fingerprint, 's', vec(1, 0, 0), 10, 100)).map((c) => c.element.query).sort()).toEqual(byValue.slice(2).map((v) => v.query).sort())
  })

  it('evicts by bytes the shortest prefix that fits, never a protected element, and nothing when within budget', async () => {
    // Given 5,400 bytes of results, the largest element protected
    const store = postgres.shared()
    await storeVaried(store)
    const eviction = new PostgresEvictionStore(store.db)
    const large = (await store.all()).find((e) => e.query === 'large')!
    // When the budget is 5,250 bytes (two 100-byte elements must go)
    const evicted = await eviction.evictOverBudget({ budget: { maxBytes: 5250, policy: 'lru' }, now: 0, protect: [large.id] })
    // Then exactly two go, in LRU order (oldest id first at equal access times), and not the protected one
    expect(evicted.map((e) => e.query)).toEqual(['cheap', 'costly'])
    expect(await eviction.usage()).toEqual({ entries: 3, bytes: 5200 })
    // And a second run within budget evicts nothing
    expect(await eviction.evictOverBudget({ budget: { maxBytes: 5250 }, now: 0 })).toEqual([])
  })

  it('runs on one machine at a time: a machine whose peer holds the pruning lease skips the round', async () => {
    // Given two machines over one shared tier holding five elements, and machine B holding the pruning lease
    const url = postgres.freshUrl()
    const [a, b] = [tiered(url), tiered(url)]
    await storeVaried(a.shared)
    const lease = await b.shared.claimExclusive(SHARED_EVICTION_JOB, 60_000)
    expect(lease).not.toBeNull()
    // When machine A prunes the shared tier to two elements
    const skipped = await pruneSharedTier(a, 0, { maxEntries: 2 })
    // Then it does nothing while B holds the lease, and prunes once B has released it
    expect(skipped).toEqual({ ran: false })
    expect((await a.shared.all()).length).toBe(5)
    await lease!.release()
    const ran = await pruneSharedTier(a, 0, { maxEntries: 2 })
    expect(ran.ran && ran.value.evicted.length).toBe(3)
    expect((await b.shared.all()).length).toBe(2)
  })

  it('prunes expired elements from the shared tier in the background after stores, at most once per interval across machines', async () => {
    // Given two machines over a shared tier holding an element that expired at time 50
    const url = postgres.freshUrl()
    const [a, b] = [tiered(url, 1000), tiered(url, 1000)]
    await a.registerEmbedder(EMBEDDER)
    await a.shared.insert([{ element: element('stale', 's', 50), embedding: vec(0, 0, 1) }])
    const upkeep = (store: TieredStore, now: number) => store.policyStores().upkeep!(now).then(() => store.settled())
    // When machine A stores at time 10 (the element still live: A's run finds nothing and rests)
    await upkeep(a, 10)
    // And machine B stores at time 100, and A again at 200, within the interval
    await upkeep(b, 100)
    await upkeep(a, 200)
    // Then neither pruned: B found A's rest lease, A's own interval had not passed
    expect((await a.shared.all()).map((e) => e.query)).toEqual(['stale'])
    // When the rest lease has lapsed and B stores after its interval
    await a.shared.pool.query(`DELETE FROM ${a.shared.schema}.leases`)
    await upkeep(b, 1100)
    // Then B drops the expired element, logged as expired
    expect(await a.shared.all()).toEqual([])
    expect((await new PostgresEvictionStore(a.shared.db).log()).map((e) => [e.query, e.reason])).toEqual([['stale', 'expired']])
  })

  it('refuses --shared pruning on a cache without a shared tier, saying what to pass', async () => {
    const local = postgres.track(openStore(join(tempDir(), 'alone.sqlite')))
    expect(() => pruneSharedTier(local, 0)).toThrow(/needs a shared PostgreSQL store.*alone\.sqlite/)
  })

  it('asteria cache prune --shared --store URL prunes the shared tier to the budget and reports it as JSON', async () => {
    // Given three elements imported through one machine's tiered cache (so they reach the shared tier)
    const url = postgres.freshUrl()
    const file = join(cli.dir, 'seed.jsonl')
    const line = (query: string, costUsd: number) =>
      JSON.stringify({ query, result: { documents: [{ id: query, text: query }] }, latencyMs: 400, costUsd, staticity: 7, createdAt: 1_000, expiresAt: 4_000_000_000_000 })
    writeFileSync(file, [line('dear question', 0.05), line('mid question', 0.005), line('cheap question', 0.0005)].join('\n'))
    expect((await cli.run(['cache', 'import', file, '--store', url])).exitCode).toBe(0)
    // When another machine whose own budget is one element (ASTERIA_MAX_ENTRIES) prunes the shared tier without a shared budget
    const other = ['--store', url, '--db', join(cli.dir, 'other.sqlite')]
    const unlimited = await cli.json<{ evicted: number; after: { entries: number } }>(['cache', 'prune', '--shared', ...other], { env: { ASTERIA_MAX_ENTRIES: '1' } })
    // Then the local budget does not apply to the shared tier: nothing is evicted
    expect(unlimited).toMatchObject({ evicted: 0, after: { entries: 3 } })
    // When another machine (another local file) prunes the shared tier to two elements
    const pruned = await cli.json<{ shared: boolean; ran: boolean; evicted: number; after: { entries: number }; elements: { query: string; reason: string }[] }>(
      ['cache', 'prune', '--shared', '--max-entries', '2', '--store', url, '--db', join(cli.dir, 'other.sqlite')],
    )
    // Then the cheapest is evicted from the shared tier
    expect(pruned).toMatchObject({ shared: true, ran: true, evicted: 1, after: { entries: 2 } })
    expect(pruned.elements.map((e) => [e.query, e.reason])).toEqual([['cheap question', 'lcfu']])
    const store = postgres.shared(url)
    expect((await store.all()).map((e) => e.query).sort()).toEqual(['dear question', 'mid question'])
  })
})
