import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { NewElement } from '../../../../src/core/ports/cache-store.js'
import { seededRandom } from '../../../../src/core/util/seeded-random.js'
import { VECTOR_INDEX_DEFAULTS } from '../../../../src/store/sqlite/vector-index/vector-index-options.js'
import { probeCounts } from '../../../../src/store/sqlite/vector-index/scope-phases.js'
import { SqliteEvictionStore } from '../../../../src/store/sqlite/eviction-store.js'
import { openStore, type SqliteStore } from '../../../../src/store/sqlite/sqlite-store.js'
import { useTempDirs } from '../../../helpers/temp-dir.js'

const tempDir = useTempDirs()
const DIMS = 32
const EMBEDDER = { fingerprint: 'test:topics32', model: 'topics', dimensions: DIMS }
const SCOPE = 'scope-big'

function element(n: number, expiresAt = 1e15): NewElement {
  const query = `question ${n}`
  return {
    query, normalizedQuery: query, namespace: 'default', tool: 'search', args: {}, scopeKey: SCOPE, source: '', embedder: EMBEDDER.fingerprint,
    result: { n }, latencyMs: 400, costUsd: 0.005, staticity: 7, frequency: 0, sizeBytes: 10, createdAt: 0, lastAccessAt: 0, expiresAt, origin: 'miss',
  }
}

const unit = (v: Float32Array) => v.map((x) => x / Math.hypot(...v))

/** Seeded unit vectors: around `topics` centres like a cache's questions (or uniformly random with 0 topics). */
function vectors(count: number, topics: number, seed = 7, spread = 0.08): Float32Array[] {
  const random = seededRandom(seed)
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
  const centres = Array.from({ length: topics }, () => unit(Float32Array.from({ length: DIMS }, gaussian)))
  return Array.from({ length: count }, (_, i) => unit(Float32Array.from({ length: DIMS }, (_, d) => (topics ? centres[i % topics][d] : 0) + gaussian() * (topics ? spread : 1))))
}

async function storeWith(path: string, data: Float32Array[], vectorIndex = {}): Promise<SqliteStore> {
  const store = openStore(path, { vectorIndex })
  await store.registerEmbedder(EMBEDDER)
  for (let i = 0; i < data.length; i += 500) {
    await store.insert(data.slice(i, i + 500).map((embedding, j) => ({ element: element(i + j), embedding })))
  }
  return store
}

/** Recall@10 of the store's look-ups against an exact scan in JavaScript, for queries near stored vectors (from `queriesFrom` on). */
async function recallAt10(store: SqliteStore, data: Float32Array[], queriesFrom = 0): Promise<number> {
  const random = seededRandom(99)
  let found = 0
  for (let q = 0; q < 50; q++) {
    const query = unit(data[queriesFrom + Math.floor(random() * (data.length - queriesFrom))].map((x) => x + (random() - 0.5) * 0.05))
    const exact = data.map((v, i) => ({ id: i + 1, s: v.reduce((sum, x, d) => sum + x * query[d], 0) })).sort((a, b) => b.s - a.s).slice(0, 10)
    const got = new Set((await store.nearest(EMBEDDER.fingerprint, SCOPE, query, 10, 0)).map((c) => c.element.id))
    found += exact.filter((e) => got.has(e.id)).length
  }
  return found / 500
}

/** How many of these elements' vectors are stored (in the scan or a list) as they were given. */
async function present(store: SqliteStore, data: Float32Array[], ids: number[]): Promise<number> {
  let found = 0
  for (const id of ids) if ((await store.getEmbedding(id))?.every((x, d) => x === data[id - 1][d])) found++
  return found
}

describe('SqliteStore vector lists', () => {
  it('tries the configured probes, and twice as many, then doubles up to 64 lists and a quarter of them (a large scope once fell back to reading every list)', () => {
    expect(probeCounts(4, 11774)).toEqual([4, 8, 16, 32, 64])
    expect(probeCounts(4, 100)).toEqual([4, 8, 16])
    expect(probeCounts(4, 25)).toEqual([4, 8])
    expect(probeCounts(4, 6)).toEqual([4])
    expect(probeCounts(4, 4)).toEqual([])
  })

  it('searches a scope past the switch point through lists, keeping recall@10 above 0.95 on seeded topics', async () => {
    // Given more elements in one scope than the switch point, on 40 topics, with the shipped settings
    const data = vectors(VECTOR_INDEX_DEFAULTS.listsFrom * 4, 40)
    const path = join(tempDir(), 'cache.sqlite')
    const store = await storeWith(path, data)
    // Then the scope is searched through a few of its lists (the recall check passed; the scan's copies are gone)
    const layout = store.vectorLayout(EMBEDDER.fingerprint, SCOPE)
    expect(layout).toMatchObject({ phase: 'lists', searched: 'lists', probes: VECTOR_INDEX_DEFAULTS.probes, busy: false })
    expect(layout.lists).toBeGreaterThan(VECTOR_INDEX_DEFAULTS.probes)
    // And look-ups find nearly all of the exact ten nearest; the vectors are all there
    expect(await recallAt10(store, data)).toBeGreaterThanOrEqual(0.95)
    expect(await present(store, data, [1, 1000, 4096])).toBe(3)
    await store.close()
  })

  it('keeps the exact scan where lists would lose recall (uniformly random vectors), and drops them after the last check', async () => {
    // Given random vectors past the switch point, in lists short enough that twice the probes read a fraction of them
    const data = vectors(VECTOR_INDEX_DEFAULTS.listsFrom + 200, 0)
    const store = await storeWith(join(tempDir(), 'cache.sqlite'), data, { splitAt: 64 })
    // Then the recall check at the switch point found a few lists wanting: the scan answers while the trial goes on
    expect(store.vectorLayout(EMBEDDER.fingerprint, SCOPE)).toMatchObject({ phase: 'trial', searched: 'scan', probes: 0 })
    expect(await recallAt10(store, data)).toBe(1)
    await store.close()
    // And when that check is the last one, the scope stays scanned and its lists are emptied
    const last = await storeWith(join(tempDir(), 'cache.sqlite'), data, { splitAt: 64, checkUpTo: VECTOR_INDEX_DEFAULTS.listsFrom })
    expect(last.vectorLayout(EMBEDDER.fingerprint, SCOPE)).toEqual({ phase: 'scan', searched: 'scan', lists: 0, probes: 0, busy: false })
    expect(await recallAt10(last, data)).toBe(1)
    await last.close()
  })

  it('re-trains lists that fail their check (k-means on a sample), moves every vector into them, and lets them answer when they pass', async () => {
    // Given a scope whose first 200 vectors are random directions and the next 1,000 on 20 loose topics: the lists
    // grown from the first ones scatter each topic, and fail the check at the switch point (1,024)
    const RANDOM = 200
    const data = [...vectors(RANDOM, 0, 3), ...vectors(1000, 20, 7, 0.15)]
    const path = join(tempDir(), 'cache.sqlite')
    const store = await storeWith(path, data.slice(0, 1000), { splitAt: 64, moveBatch: 100 })
    const reader = await storeWith(path, [], { splitAt: 64, moveBatch: 100 })
    const layout = () => store.vectorLayout(EMBEDDER.fingerprint, SCOPE)
    // When the rest is stored one at a time
    const seen: string[] = []
    for (let stored = 1000; stored < data.length; stored++) {
      await store.insert([{ element: element(stored), embedding: data[stored] }])
      const { phase, busy } = layout()
      reader.vectorLayout(EMBEDDER.fingerprint, SCOPE)
      // Then every vector is there at every step, and look-ups near the topics find the exact ten nearest
      if (!seen.includes(`${phase}${busy}`)) {
        expect(await present(store, data, Array.from({ length: stored + 1 }, (_, i) => i + 1))).toBe(stored + 1)
        expect(await recallAt10(store, data.slice(0, stored + 1), RANDOM)).toBeGreaterThanOrEqual(0.95)
      }
      seen.push(`${phase}${busy}`)
    }
    // And the failed check re-trained the lists, whose own check passed: they answer now, in this process and another
    expect([...new Set(seen)]).toEqual(['smallfalse', 'trialtrue', 'trialfalse', 'regrouptrue', 'regroupfalse', 'liststrue', 'listsfalse'])
    expect(layout()).toMatchObject({ phase: 'lists', searched: 'lists', busy: false })
    expect(layout().probes).toBeGreaterThan(0)
    expect(reader.vectorLayout(EMBEDDER.fingerprint, SCOPE)).toEqual(layout())
    expect(await recallAt10(reader, data, RANDOM)).toBeGreaterThanOrEqual(0.95)
    expect(await present(reader, data, Array.from({ length: data.length }, (_, i) => i + 1))).toBe(data.length)
    await Promise.all([store.close(), reader.close()])
  })

  it('re-trains lists that passed an early check and fail a later one (relist), reading all of them until every vector has moved', async () => {
    // Given a scope whose first 1,024 vectors are on 4 tight topics (its lists pass the check at the switch point)
    // and whose next ones are on 160 loose topics that the lists split from the first ones scatter
    const FIRST = VECTOR_INDEX_DEFAULTS.listsFrom
    const data = [...vectors(FIRST, 4, 3, 0.05), ...vectors(FIRST * 3 + 300, 160, 11, 0.15)]
    const path = join(tempDir(), 'cache.sqlite')
    const store = await storeWith(path, data.slice(0, FIRST * 4 - 100), { splitAt: 64, moveBatch: 100 })
    const reader = await storeWith(path, [], { splitAt: 64, moveBatch: 100 })
    const layout = () => store.vectorLayout(EMBEDDER.fingerprint, SCOPE)
    expect(layout()).toMatchObject({ phase: 'lists', searched: 'lists', busy: false })
    // When the rest is stored one at a time
    const seen: string[] = []
    for (let stored = FIRST * 4 - 100; stored < data.length; stored++) {
      await store.insert([{ element: element(stored), embedding: data[stored] }])
      const { phase, busy, probes } = layout()
      reader.vectorLayout(EMBEDDER.fingerprint, SCOPE)
      // Then every vector is there at every step, and while the lists are re-trained look-ups read all of them (exact)
      const now = `${phase} busy=${busy} probes=${probes}`
      if (seen.at(-1) !== now) {
        expect(await present(store, data, Array.from({ length: stored + 1 }, (_, i) => i + 1))).toBe(stored + 1)
        if (phase === 'relist') expect(await recallAt10(store, data.slice(0, stored + 1), FIRST)).toBe(1)
        seen.push(now)
      }
    }
    // And the lists split from the first topics failed the check at 4,096 elements
    expect(seen).toEqual(['lists busy=false probes=8', 'relist busy=true probes=0', 'relist busy=false probes=0', expect.stringMatching(/^lists busy=false probes=\d+$/)])
    // And the failed check re-trained the lists, whose own check passed: a few of them answer again, in this process and another
    expect(layout()).toMatchObject({ phase: 'lists', searched: 'lists', busy: false })
    expect(layout().probes).toBeGreaterThan(0)
    expect(reader.vectorLayout(EMBEDDER.fingerprint, SCOPE)).toEqual(layout())
    expect(await recallAt10(reader, data, FIRST)).toBeGreaterThanOrEqual(0.95)
    expect(await present(reader, data, Array.from({ length: data.length }, (_, i) => i + 1))).toBe(data.length)
    await Promise.all([store.close(), reader.close()])
  })

  it('copies lists whose re-training failed too back into the scan (rescan) and puts the scope on trial again', async () => {
    // Given a scope whose lists took over at the switch point (4 tight topics), then random directions that no lists keep
    const FIRST = VECTOR_INDEX_DEFAULTS.listsFrom
    const data = [...vectors(FIRST, 4, 3, 0.05), ...vectors(FIRST * 3 + 300, 0, 5)]
    const path = join(tempDir(), 'cache.sqlite')
    const store = await storeWith(path, data.slice(0, FIRST * 4 - 100), { splitAt: 64, moveBatch: 100 })
    const layout = () => store.vectorLayout(EMBEDDER.fingerprint, SCOPE)
    // When the rest is stored one at a time
    const seen: string[] = []
    for (let stored = FIRST * 4 - 100; stored < data.length; stored++) {
      await store.insert([{ element: element(stored), embedding: data[stored] }])
      const { phase, busy, searched } = layout()
      const now = `${phase} busy=${busy} ${searched}`
      // Then every vector is there at every step and look-ups stay exact while the lists are re-trained and emptied into the scan
      if (seen.at(-1) !== now) {
        expect(await present(store, data, Array.from({ length: stored + 1 }, (_, i) => i + 1))).toBe(stored + 1)
        if (phase !== 'lists') expect(await recallAt10(store, data.slice(0, stored + 1), FIRST)).toBe(1)
        seen.push(now)
      }
    }
    // And the check at 4,096 failed, the re-trained lists failed too, and the scan answers again beside lists on trial
    expect(seen).toEqual(['lists busy=false lists', 'relist busy=true lists', 'relist busy=false lists', 'rescan busy=true lists', 'rescan busy=false lists', 'trial busy=false scan'])
    await store.close()
    const reopened = await storeWith(path, [], { splitAt: 64, moveBatch: 100 })
    expect(reopened.vectorLayout(EMBEDDER.fingerprint, SCOPE)).toMatchObject({ phase: 'trial', searched: 'scan', probes: 0 })
    expect(await recallAt10(reopened, data, FIRST)).toBe(1)
    expect(await present(reopened, data, Array.from({ length: data.length }, (_, i) => i + 1))).toBe(data.length)
    await reopened.close()
  })

  it('moves an existing scanned scope into lists as it grows, every element findable before, during and after', async () => {
    // Given a cache file whose large scope was stored scanned (as before lists existed)
    const path = join(tempDir(), 'cache.sqlite')
    const data = vectors(3000, 30)
    const before = await storeWith(path, data.slice(0, 2500), { listsFrom: Number.MAX_SAFE_INTEGER })
    await before.close()
    // When this version stores more elements into it one at a time, its batch jobs going through 1,000 ids per store
    const store = await storeWith(path, [], { moveBatch: 1000 })
    const seen: string[] = []
    let stored = 2500
    const layout = () => store.vectorLayout(EMBEDDER.fingerprint, SCOPE)
    do {
      await store.insert([{ element: element(stored), embedding: data[stored] }])
      stored++
      const { phase, busy } = layout()
      // Then at every step (copying into the trial lists; the lists answering while the scan's copies go) each vector is
      // there, and look-ups find the exact ten nearest or nearly
      if (!seen.includes(`${phase}${busy}`)) {
        expect(await present(store, data, Array.from({ length: stored }, (_, i) => i + 1))).toBe(stored)
        expect(await recallAt10(store, data.slice(0, stored))).toBeGreaterThanOrEqual(0.95)
      }
      seen.push(`${phase}${busy}`)
    } while (layout().busy || layout().phase !== 'lists')
    // And the scope went from a trial to its lists within a few stores
    expect([...new Set(seen)]).toEqual(['trialtrue', 'trialfalse', 'liststrue', 'listsfalse'])
    expect(stored).toBeLessThan(2510)
    await store.close()
  })

  it('sees the lists another process split, and leaves no vector behind when elements are deleted or evicted', async () => {
    // Given two stores on one file, the second opened while the scope is still small
    const path = join(tempDir(), 'cache.sqlite')
    const data = vectors(2500, 25)
    const writer = await storeWith(path, data.slice(0, 100))
    const reader = await storeWith(path, [])
    expect((await reader.nearest(EMBEDDER.fingerprint, SCOPE, data[99], 1, 0))[0].element.id).toBe(100)
    // When the first stores the rest (the scope moves into lists, which split many times)
    for (let i = 100; i < data.length; i += 500) await writer.insert(data.slice(i, i + 500).map((embedding, j) => ({ element: element(i + j), embedding })))
    // Then the second searches the new lists, with the recall a fresh store has, every vector there
    expect(reader.vectorLayout(EMBEDDER.fingerprint, SCOPE)).toMatchObject({ phase: 'lists', probes: VECTOR_INDEX_DEFAULTS.probes, busy: false })
    expect(await recallAt10(reader, data)).toBeGreaterThanOrEqual(0.95)
    expect(await present(reader, data, Array.from({ length: 2500 }, (_, i) => i + 1))).toBe(2500)
    // And deleting or evicting elements takes their vectors out of the lists
    await writer.delete([5, 6])
    await new SqliteEvictionStore(writer).evictOverBudget({ budget: { maxEntries: 2490, policy: 'lru' }, now: 0 })
    // (a vector left behind would take the one place asked for, and the look-up would come back empty)
    for (const gone of [5, 7]) expect((await reader.nearest(EMBEDDER.fingerprint, SCOPE, data[gone - 1], 1, 0))[0].element.id).not.toBe(gone)
    expect(await present(reader, data, [2000, 2500])).toBe(2)
    await Promise.all([writer.close(), reader.close()])
  })

  it('never returns an expired element from the lists', async () => {
    // Given a scope in lists whose first elements expired at 500
    const path = join(tempDir(), 'cache.sqlite')
    const data = vectors(1500, 15)
    const store = openStore(path)
    await store.registerEmbedder(EMBEDDER)
    await store.insert(data.map((embedding, i) => ({ element: element(i, i < 10 ? 500 : 1e15), embedding })))
    expect(store.vectorLayout(EMBEDDER.fingerprint, SCOPE).searched).toBe('lists')
    // When looking up the first element's vector at 1000
    const found = await store.nearest(EMBEDDER.fingerprint, SCOPE, data[0], 10, 1000)
    // Then none of the expired ten comes back
    expect(found).toHaveLength(10)
    expect(found.every((c) => c.element.expiresAt > 1000)).toBe(true)
    await store.close()
  })
})
