import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/core/clock.js'
import { MAX_RESULT_BYTES } from '../../../src/core/query-limits.js'
import { SemanticCache } from '../../../src/core/cache/semantic-cache.js'
import { type LoaderResult } from '../../../src/core/cache/loader.js'
import { thresholdOnlyPolicy } from '../../../src/core/ports/hit-policy.js'
import { openStore } from '../../../src/store/sqlite/sqlite-store.js'
import { FakeEmbedder } from '../../helpers/fake-embedder.js'
import { useTempDirs } from '../../helpers/temp-dir.js'
import { contextOf } from '../../../src/core/cache/cache-context.js'

const tempDir = useTempDirs()

function makeCache(options: Partial<ConstructorParameters<typeof SemanticCache>[0]> = {}) {
  const clock = new ManualClock(1_000_000)
  const cache = new SemanticCache({
    store: openStore(join(tempDir(), 'cache.sqlite')),
    embedder: new FakeEmbedder(),
    clock,
    thresholds: { tauSim: 0.6 },
    ...options,
  })
  return { cache, clock }
}

const docs = (text: string) => ({ documents: [{ id: text, text }] })

/** A loader the test releases by hand, counting its calls. */
function gatedLoader(result: unknown = docs('answer')) {
  let calls = 0
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  const loader = async (): Promise<LoaderResult> => {
    calls++
    await gate
    return { result, latencyMs: 400, costUsd: 0.005 }
  }
  return { loader, release: () => release(), calls: () => calls }
}

describe('SemanticCache.lookup', () => {
  it('hits a paraphrase with a decision record that says why', async () => {
    // Given a stored answer
    const { cache } = makeCache()
    await cache.store({ query: 'who wrote the declaration of independence', result: docs('Jefferson'), latencyMs: 400, costUsd: 0.005 })
    // When a paraphrase is looked up
    const { decision, element } = await cache.lookup('who was the author of the declaration of independence')
    // Then it is a semantic hit on that element
    expect(decision).toMatchObject({ hit: true, kind: 'semantic', policy: 'guard', guard: { pass: true, reasons: [] } })
    expect(decision.similarity).toBeGreaterThanOrEqual(0.6)
    expect(decision.candidates[0].outcome).toBe('hit')
    expect(decision.timings.totalMs).toBeGreaterThanOrEqual(0)
    expect(element?.result).toEqual(docs('Jefferson'))
  })

  it('serves an exact repeat without embedding', async () => {
    const embedder = new FakeEmbedder()
    const { cache } = makeCache({ embedder })
    await cache.store({ query: 'What is DNA?', result: docs('a molecule') })
    const callsBefore = embedder.calls
    const { decision } = await cache.lookup('what is dna')
    expect(decision).toMatchObject({ hit: true, kind: 'exact', reason: 'exact match after normalisation' })
    expect(embedder.calls).toBe(callsBefore)
  })

  it('misses when the guard rejects a near-duplicate with another year', async () => {
    const { cache } = makeCache()
    await cache.store({ query: 'population of France in 2020', result: docs('67 million') })
    const { decision } = await cache.lookup('population of France in 2021')
    expect(decision.hit).toBe(false)
    expect(decision.candidates[0]).toMatchObject({ outcome: 'guard-rejected' })
    expect(decision.reason).toContain('date "2021" vs "2020"')
  })

  it('without the guard (threshold only) serves that near-duplicate: the baseline false hit', async () => {
    const { cache } = makeCache({ policy: thresholdOnlyPolicy })
    await cache.store({ query: 'population of France in 2020', result: docs('67 million') })
    expect((await cache.lookup('population of France in 2021')).decision.hit).toBe(true)
  })

  it('never serves an expired element, and hits do not extend expiry', async () => {
    const { cache, clock } = makeCache()
    const stored = await cache.store({ query: 'weather in paris today', result: docs('rain') })
    expect(stored.staticity).toBe(1)
    clock.advance(4 * 60_000)
    const hit = await cache.lookup('weather in paris today')
    expect(hit.decision.hit).toBe(true)
    expect((await contextOf(cache).store.get(stored.id))?.expiresAt).toBe(stored.expiresAt)
    clock.advance(60_000)
    expect((await cache.lookup('weather in paris today')).decision).toMatchObject({ hit: false, reason: 'no element in this scope' })
  })

  it('keeps scopes apart: namespace, tool, tool arguments and embedder', async () => {
    const { cache } = makeCache()
    const store = contextOf(cache).store
    await cache.store({ query: 'who wrote hamlet', result: docs('Shakespeare'), namespace: 'a', tool: 'search', args: { region: 'us' } })
    expect((await cache.lookup('who wrote hamlet', { namespace: 'a', tool: 'search', args: { region: 'us' } })).decision.hit).toBe(true)
    expect((await cache.lookup('who wrote hamlet', { namespace: 'b', tool: 'search', args: { region: 'us' } })).decision.hit).toBe(false)
    expect((await cache.lookup('who wrote hamlet', { namespace: 'a', tool: 'docs', args: { region: 'us' } })).decision.hit).toBe(false)
    expect((await cache.lookup('who wrote hamlet', { namespace: 'a', tool: 'search', args: { region: 'uk' } })).decision.hit).toBe(false)
    const other = new SemanticCache({ store, embedder: new FakeEmbedder(64, 'v2'), thresholds: { tauSim: 0.6 } })
    expect((await other.lookup('who wrote hamlet', { namespace: 'a', tool: 'search', args: { region: 'us' } })).decision.hit).toBe(false)
  })

  it('rejects empty and oversized queries with a clear error', async () => {
    const { cache } = makeCache()
    await expect(cache.lookup('   ')).rejects.toThrow(/non-empty query/)
    await expect(cache.lookup('x'.repeat(100_000))).rejects.toThrow(/at most 8192 bytes, received 100000 bytes/)
  })
})

describe('SemanticCache.fetchThrough', () => {
  it('calls the loader on a miss, stores its result with the call latency and cost, then hits', async () => {
    const { cache } = makeCache()
    const first = await cache.fetchThrough('who wrote hamlet', async () => ({ result: docs('Shakespeare'), latencyMs: 420, costUsd: 0.005 }))
    expect(first).toMatchObject({ source: 'remote', latencyMs: 420, costUsd: 0.005 })
    expect(first.element).toMatchObject({ latencyMs: 420, costUsd: 0.005, origin: 'miss', frequency: 0 })
    const second = await cache.fetchThrough('tell me who wrote hamlet', async () => {
      throw new Error('must not be called')
    })
    expect(second).toMatchObject({ source: 'cache', result: docs('Shakespeare'), latencyMs: 0, costUsd: 0 })
    expect(await contextOf(cache).store.counters('default')).toMatchObject({ requests: 2, hits_semantic: 1, misses: 1, remote_calls: 1, cost_saved_usd: 0.005 })
  })

  it('makes one remote call for concurrent equivalent misses; the others are coalesced, not hits', async () => {
    const { cache } = makeCache()
    const gate = gatedLoader()
    const requests = [
      cache.fetchThrough('who wrote hamlet', gate.loader),
      cache.fetchThrough('Who wrote Hamlet?', gate.loader),
      cache.fetchThrough('tell me who wrote hamlet', gate.loader),
    ]
    await new Promise((resolve) => setImmediate(resolve))
    gate.release()
    const results = await Promise.all(requests)
    expect(gate.calls()).toBe(1)
    expect(results.map((r) => r.source).sort()).toEqual(['coalesced', 'coalesced', 'remote'])
    expect(results.every((r) => !r.decision.hit)).toBe(true)
    expect((await contextOf(cache).store.counters('default')).coalesced).toBe(2)
  })

  it('does not coalesce a near-miss the guard rejects', async () => {
    const { cache } = makeCache()
    const a = gatedLoader(docs('2020 figure'))
    const b = gatedLoader(docs('2021 figure'))
    const requests = [cache.fetchThrough('population of France in 2020', a.loader), cache.fetchThrough('population of France in 2021', b.loader)]
    await new Promise((resolve) => setImmediate(resolve))
    a.release()
    b.release()
    const [ra, rb] = await Promise.all(requests)
    expect([a.calls(), b.calls()]).toEqual([1, 1])
    expect([ra.result, rb.result]).toEqual([docs('2020 figure'), docs('2021 figure')])
  })

  it('never caches loader errors or empty results, and waiters share the error', async () => {
    const { cache } = makeCache()
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const failing = async (): Promise<LoaderResult> => {
      await gate
      throw new Error('source down')
    }
    const both = [cache.fetchThrough('who wrote hamlet', failing), cache.fetchThrough('who wrote hamlet', failing)]
    release()
    await expect(both[0]).rejects.toThrow('source down')
    await expect(both[1]).rejects.toThrow('source down')
    await cache.fetchThrough('who wrote hamlet', async () => ({ result: { documents: [] } }))
    await cache.fetchThrough('who wrote hamlet', async () => ({ result: docs('partial'), cacheable: false }))
    expect(await contextOf(cache).store.all()).toEqual([])
  })

  it('never caches tools declared with side effects, and bypasses on request', async () => {
    const { cache } = makeCache({ sideEffectTools: ['send_email'] })
    const r = await cache.fetchThrough('email bob', async () => ({ result: docs('sent') }), { tool: 'send_email' })
    expect(r.decision.kind).toBe('bypass')
    await cache.fetchThrough('who wrote hamlet', async () => ({ result: docs('x') }), { noCache: true })
    expect(await contextOf(cache).store.all()).toEqual([])
    await expect(cache.store({ query: 'email bob', tool: 'send_email', result: docs('sent') })).rejects.toThrow(/side effects/)
  })

  it('refresh replaces the stored element; max-age skips older ones', async () => {
    const { cache, clock } = makeCache()
    await cache.fetchThrough('who wrote hamlet', async () => ({ result: docs('old') }))
    clock.advance(10_000)
    const refreshed = await cache.fetchThrough('who wrote hamlet', async () => ({ result: docs('new') }), { refresh: true })
    expect(refreshed.source).toBe('remote')
    expect((await contextOf(cache).store.all()).map((e) => e.result)).toEqual([docs('new')])
    clock.advance(10_000)
    const stale = await cache.fetchThrough('who wrote hamlet', async () => ({ result: docs('newest') }), { maxAgeMs: 5_000 })
    expect(stale.source).toBe('remote')
    const fresh = await cache.fetchThrough('who wrote hamlet', async () => ({ result: docs('unused') }), { maxAgeMs: 5_000 })
    expect(fresh).toMatchObject({ source: 'cache', result: docs('newest') })
  })

  it('invalidates what is stored for a question', async () => {
    const { cache } = makeCache()
    await cache.store({ query: 'who wrote hamlet', result: docs('x') })
    expect(await cache.invalidate('Who wrote Hamlet?')).toBe(1)
    expect(await cache.invalidate('who wrote hamlet')).toBe(0)
  })
})

describe('result size limit', () => {
  it('serves an oversized result but never stores it, and refuses to store one directly', async () => {
    // Given a source that returns more than the result limit
    const { cache } = makeCache()
    const huge = { documents: [{ id: '1', text: 'x'.repeat(MAX_RESULT_BYTES + 1) }] }
    // When it is fetched through the cache
    const fetched = await cache.fetchThrough('dump the whole encyclopedia', async () => ({ result: huge }))
    // Then the caller gets it, nothing is stored, and a direct store says why
    expect(fetched).toMatchObject({ source: 'remote', element: null })
    expect(await contextOf(cache).store.all()).toEqual([])
    expect((await contextOf(cache).store.counters('default')).not_cached_too_large).toBe(1)
    await expect(cache.store({ query: 'dump it', result: huge })).rejects.toThrow(/at most 1048576 bytes, received 1048\d{3} bytes/)
  })
})

describe('a failing judge', () => {
  it('turns look-ups into misses and warns once, never crashing', async () => {
    // Given a judge whose server is down, behind the guard
    const warnings: string[] = []
    const brokenJudge = { name: 'ollama', judge: async () => Promise.reject(new Error('fetch failed (ECONNREFUSED)')) }
    const { cache } = makeCache({ policy: { name: 'ollama', useGuard: true, judge: brokenJudge }, onWarning: (m) => warnings.push(m) })
    await cache.store({ query: 'who wrote the declaration of independence', result: docs('Jefferson') })
    // When two paraphrases are looked up
    const first = await cache.lookup('who was the author of the declaration of independence')
    const second = await cache.lookup('who authored the declaration of independence')
    // Then both miss with the judge error in the record, and the user was told once
    expect([first.decision.hit, second.decision.hit]).toEqual([false, false])
    expect(first.decision.judge).toMatchObject({ verdict: 'error', error: expect.stringContaining('ECONNREFUSED') })
    expect(warnings).toEqual([expect.stringContaining('The ollama judge failed (fetch failed (ECONNREFUSED))')])
  })
})
