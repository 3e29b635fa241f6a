import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cacheStats, resetCalibration } from '../../../src/core/admin/stats.js'
import type { CalibrationOptions, VerificationRequest } from '../../../src/core/calibration/calibration.js'
import { ManualClock } from '../../../src/core/clock.js'
import { resultsAgree } from '../../../src/core/calibration/result-agreement.js'
import { SemanticCache } from '../../../src/core/cache/semantic-cache.js'
import type { SemanticElement } from '../../../src/core/semantic-element.js'
import { assessThreshold, DEFAULT_ASSESSMENT, type BandCount } from '../../../src/core/calibration/threshold-assessment.js'
import type { Embedder } from '../../../src/core/ports/embedder.js'
import { thresholdOnlyPolicy, type Judge } from '../../../src/core/ports/hit-policy.js'
import { sqlitePolicyStores } from '../../../src/store/sqlite/sqlite-policy-stores.js'
import { openStore } from '../../../src/store/sqlite/sqlite-store.js'
import { useTempDirs } from '../../helpers/temp-dir.js'
import { contextOf } from '../../../src/core/cache/cache-context.js'

const tempDir = useTempDirs()
const settings = { ...DEFAULT_ASSESSMENT, targetPrecision: 0.99 }
const band = (lower: number, verified: number, wrong: number): BandCount => ({ band: Math.round(lower / 0.05), verified, wrong })

describe('assessThreshold', () => {
  it('raises tau to the first band edge whose hits are not evidently below target', () => {
    // Given 4 wrong of 20 verified hits in 0.75-0.80, 3 wrong of 10 in 0.80-0.85, and 30 right ones above 0.85
    const bands = [band(0.75, 20, 4), band(0.8, 10, 3), band(0.85, 30, 0)]
    // When tau 0.75 is assessed
    const a = assessThreshold(bands, 0.75, settings)
    // Then it is below target and goes past 0.80 (still evidently loose) to 0.85
    expect(a).toMatchObject({ status: 'below target', action: 'raise', nextTau: 0.85, verified: 60, wrong: 7 })
    expect(a.upperBound).toBeLessThan(0.99)
  })

  it('moves only on evidence: never on one wrong of one, never before 18 verified hits (target 0.99), then on two wrong', () => {
    // Given one verified hit that was wrong (perhaps the check itself erred), and 17 with 5 wrong
    const one = assessThreshold([band(0.75, 1, 1)], 0.75, settings)
    const seventeen = assessThreshold([band(0.75, 17, 5)], 0.75, settings)
    // Then neither moves tau, and the reason says how many it takes
    for (const a of [one, seventeen]) expect(a).toMatchObject({ action: 'hold', nextTau: 0.75, minimum: 18 })
    expect(one.reason).toBe('1 of 1 verified hits wrong at tau 0.75: too few to move it (needs 18)')
    // And at 18 verified hits one wrong still holds (0.99 is inside the 95% interval), two raise
    expect(assessThreshold([band(0.75, 18, 1)], 0.75, settings).action).toBe('hold')
    expect(assessThreshold([band(0.75, 18, 2)], 0.75, settings)).toMatchObject({ action: 'raise', nextTau: 0.8 })
  })

  it('does not raise when the wrong hits are at high similarity, where a higher threshold would not remove them', () => {
    // Given clean hits at 0.70-0.75 and 3 wrong of 10 at 0.95-1.00
    const a = assessThreshold([band(0.7, 30, 0), band(0.95, 10, 3)], 0.7, settings)
    // Then the hits are below target, but tau holds and the reason says why
    expect(a).toMatchObject({ status: 'below target', action: 'hold', nextTau: 0.7 })
    expect(a.reason).toContain('not at low similarity')
  })

  it('raises when a sample large enough to certify the target leaves its lower bound below it', () => {
    // Given 500 verified hits at tau 0.75 with 5 wrong: precision 0.99, not evidently below, but a bound of 0.977
    const a = assessThreshold([band(0.75, 500, 5)], 0.75, settings)
    // Then the sample is large enough to hold the bound to the target: tau goes up
    expect(a).toMatchObject({ status: 'below target', action: 'raise', nextTau: 0.8 })
    expect(a.upperBound).toBeGreaterThan(0.99)
    expect(a.reason).toContain('lower bound 0.97')
  })

  it('holds the configured threshold, "not yet certified", while the sample is too small to prove the target', () => {
    // Given 50 verified hits, all right (a lower bound of 0.93 at best), and 150 with one wrong
    const few = assessThreshold([band(0.75, 50, 0)], 0.75, settings)
    const oneWrong = assessThreshold([band(0.75, 150, 1)], 0.75, settings)
    const none = assessThreshold([], 0.75, settings)
    // Then each holds tau, says why, and how many verified hits certifying would take
    for (const a of [few, oneWrong, none]) expect(a).toMatchObject({ status: 'not yet certified', action: 'hold', nextTau: 0.75, needed: 381 })
    expect(few.lowerBound).toBeCloseTo(50 / (50 + 1.959964 ** 2), 6)
    expect(none.estimate).toBeNull()
  })

  it('certifies and holds when the bound is above target but not comfortably', () => {
    const a = assessThreshold([band(0.8, 500, 0)], 0.8, settings)
    expect(a).toMatchObject({ status: 'certified', action: 'hold', nextTau: 0.8 })
    expect(a.lowerBound).toBeGreaterThanOrEqual(0.99)
  })

  it('lowers one band when comfortably above target (false-hit bound at most half the allowance)', () => {
    const a = assessThreshold([band(0.8, 2000, 0)], 0.8, settings)
    expect(a).toMatchObject({ status: 'certified', action: 'lower', nextTau: 0.75 })
  })

  it('lowers into a band it has data for only when the hits from there on are certified too', () => {
    const good = assessThreshold([band(0.75, 600, 0), band(0.8, 600, 0)], 0.8, settings)
    const bad = assessThreshold([band(0.75, 100, 30), band(0.8, 2000, 0)], 0.8, settings)
    expect(good).toMatchObject({ action: 'lower', nextTau: 0.75 })
    expect(bad).toMatchObject({ status: 'certified', action: 'hold', nextTau: 0.8 })
  })

  it('never goes below its floor', () => {
    const floor = assessThreshold([band(0.5, 5000, 0)], 0.5, settings)
    expect(floor).toMatchObject({ status: 'certified', action: 'hold', nextTau: 0.5 })
  })
})

describe('resultsAgree', () => {
  it('compares document lists by the overlap of their ids or URLs (share of the shorter list), other payloads by equality', () => {
    const docs = (...ids: string[]) => ({ documents: ids.map((id) => ({ id, text: 'x' })) })
    expect(resultsAgree(docs('a', 'b', 'c'), docs('a', 'b', 'd'))).toBe(true)
    // Paraphrases get the same passage in another order, with other extras: the same answer.
    expect(resultsAgree(docs('a', 'b', 'c'), docs('d', 'e', 'a'))).toBe(true)
    expect(resultsAgree(docs('a', 'b', 'c'), docs('d', 'e', 'f'))).toBe(false)
    expect(resultsAgree(docs('a', 'b', 'c'), docs('a', 'd', 'e'), 0.5)).toBe(false)
    expect(resultsAgree({ documents: [{ url: 'https://x/1' }] }, { documents: [{ url: 'https://x/1', title: 'new' }] })).toBe(true)
    expect(resultsAgree({ answer: 42, unit: 'm' }, { unit: 'm', answer: 42 })).toBe(true)
    expect(resultsAgree('Paris', 'Lyon')).toBe(false)
  })
})

/**
 * Vectors at a chosen similarity to the stored question: "ask 0.72" is at cosine 0.72 from it, its
 * remainder on an axis of its own (by thousandths mod 31), so different asks are far from each other.
 */
class SimilarityEmbedder implements Embedder {
  readonly model = 'similarity'
  readonly fingerprint = 'test:similarity3'
  readonly dimensions = 32
  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((text) => {
      const s = Number(/^ask ([\d.]+)/.exec(text)?.[1] ?? 1)
      const v = new Float32Array(32)
      v[0] = s
      v[1 + (Math.round(s * 1000) % 31)] = Math.sqrt(1 - s * s)
      return v
    })
  }
}

const STORED = { documents: [{ id: 'stored-doc', text: 'the stored answer' }] }

/** A source that answers every question asked at similarity below `rightFrom` with other documents. */
function verifierFor(rightFrom: number) {
  const calls: VerificationRequest[] = []
  const verify = async (_element: SemanticElement, request: VerificationRequest) => {
    calls.push(request)
    const right = (request.similarity ?? 1) >= rightFrom
    return { result: right ? STORED : { documents: [{ id: `other-${calls.length}`, text: 'another answer' }] }, costUsd: 0.005, latencyMs: 400 }
  }
  return { calls, verify }
}

function makeCache(calibration: CalibrationOptions | undefined, tauSim = 0.5, path = join(tempDir(), 'cache.sqlite')) {
  const store = openStore(path)
  const clock = new ManualClock(1_000_000)
  const cache = new SemanticCache({
    store, embedder: new SimilarityEmbedder(), clock, policy: thresholdOnlyPolicy, thresholds: { tauSim }, policyStores: sqlitePolicyStores(store), calibration,
  })
  return { cache, store, clock, path }
}

/** A fixed sequence of draws, repeated: a seeded stand-in for Math.random. */
const draws = (...values: number[]) => {
  let i = 0
  return () => values[i++ % values.length]
}

describe('Calibrator in a SemanticCache', () => {
  it('verifies the drawn share of semantic hits in the background and counts each call as cost', async () => {
    // Given a cache verifying hits whose draw falls below 0.5, with a source that agrees with what is stored
    const { calls, verify } = verifierFor(0)
    const { cache } = makeCache({ verify, sampleShare: 0.5, random: draws(0.1, 0.9, 0.3, 0.7) })
    await cache.store({ query: 'stored question', result: STORED, costUsd: 0.005, latencyMs: 400 })
    // When four semantic hits and exact repeats (which do not depend on tau) are served
    for (const s of [0.91, 0.92]) expect((await cache.lookup(`ask ${s}`)).decision.kind).toBe('semantic')
    for (let i = 0; i < 2; i++) expect((await cache.lookup('stored question')).decision.kind).toBe('exact')
    for (const s of [0.93, 0.94]) expect((await cache.lookup(`ask ${s}`)).decision.kind).toBe('semantic')
    await cache.settle()
    // Then the 1st and 3rd semantic hits were verified with their similarity, and the calls counted as cost
    expect(calls.map((c) => [c.query, c.similarity])).toEqual([['ask 0.91', expect.closeTo(0.91, 5)], ['ask 0.93', expect.closeTo(0.93, 5)]])
    const stats = await cacheStats(cache)
    expect(stats.verification).toEqual({ calls: 2, costUsd: 0.01, verified: 2, wrong: 0 })
    expect(stats.costSpentUsd).toBeCloseTo(0.01, 10)
    expect(stats.calibration).toMatchObject({ status: 'not yet certified', verified: 2, wrong: 0, tau: 0.5, targetPrecision: 0.99 })
  })

  it('raises tau_sim when verified hits are evidently wrong, persists it with its history, and uses it at once', async () => {
    // Given a loose start (tau_sim 0.5) and a source whose answers differ for every question below similarity 0.8
    const { verify } = verifierFor(0.8)
    const { cache, store, path } = makeCache({ verify, sampleShare: 1, random: () => 0 })
    await cache.store({ query: 'stored question', result: STORED })
    // When 20 hits at similarity 0.601-0.620 are served and verified (more than the 18 a move needs)
    for (let i = 1; i <= 20; i++) await cache.lookup(`ask ${0.6 + i / 1000}`)
    await cache.settle()
    // Then tau_sim went up past the wrong band, is stored with a history line, and the next look-up runs under it
    const thresholds = await cache.thresholds()
    expect(thresholds.tauSim).toBe(0.65)
    expect((await store.getThresholds('test:similarity3', 'none'))?.tauSim).toBe(thresholds.tauSim)
    const history = await sqlitePolicyStores(store).calibration.history('test:similarity3', 'none')
    expect(history[0]).toMatchObject({ action: 'raise', status: 'below target', tauSim: thresholds.tauSim })
    expect(history[0].reason).toMatch(/^tau_sim 0\.5 -> 0\.65 after 18 verified hits, 18 wrong/)
    expect((await cache.lookup('ask 0.65')).decision.thresholds.tauSim).toBe(thresholds.tauSim)
    // And a cache opened later on the same file starts from the calibrated value, not the configured one
    await cache.close()
    const reopened = makeCache({ verify, sampleShare: 1 }, 0.5, path)
    expect((await reopened.cache.thresholds()).tauSim).toBe(thresholds.tauSim)
  })

  it('forgets counts, calibrated thresholds and history on reset: the configured threshold is back', async () => {
    // Given a cache whose verified hits raised tau_sim from 0.5
    const { verify } = verifierFor(0.8)
    const { cache, store } = makeCache({ verify, sampleShare: 1, random: () => 0 })
    await cache.store({ query: 'stored question', result: STORED })
    for (let i = 1; i <= 20; i++) await cache.lookup(`ask ${0.6 + i / 1000}`)
    await cache.settle()
    expect((await cache.thresholds()).tauSim).toBe(0.65)
    // When calibration is reset
    const reset = await resetCalibration(cache)
    // Then the configured threshold is in force again and nothing of the evidence is left
    expect(reset).toMatchObject({ verified: 20, changes: 1, thresholds: { tauSim: 0.5 } })
    expect((await cache.lookup('ask 0.55')).decision.thresholds.tauSim).toBe(0.5)
    const stores = sqlitePolicyStores(store)
    expect(await stores.calibration.history('test:similarity3', 'none')).toEqual([])
    expect(await stores.calibration.bands({ embedder: 'test:similarity3', policy: 'none', axis: 'sim' })).toEqual([])
  })

  it('stores the fresh answer of a hit found wrong, so the question gets its own element', async () => {
    // Given a hit at similarity 0.6 that the source answers differently
    const { verify } = verifierFor(0.8)
    const { cache } = makeCache({ verify, sampleShare: 1, random: () => 0 })
    await cache.store({ query: 'stored question', result: STORED })
    await cache.lookup('ask 0.6')
    await cache.settle()
    // Then the fresh result is stored for that question, and asking it again is an exact hit on it
    const own = (await contextOf(cache).store.all()).find((e) => e.query === 'ask 0.6')
    expect(own).toMatchObject({ origin: 'miss', costUsd: 0.005, result: { documents: [{ id: 'other-1' }] } })
    expect((await cache.lookup('ask 0.6')).decision).toMatchObject({ kind: 'exact', elementId: own!.id })
  })

  it('holds the configured threshold while verified hits are right but too few to certify the target', async () => {
    const { verify } = verifierFor(0)
    const { cache } = makeCache({ verify, sampleShare: 1, random: () => 0 }, 0.55)
    await cache.store({ query: 'stored question', result: STORED })
    for (const s of [0.6, 0.7, 0.8, 0.9]) await cache.lookup(`ask ${s}`)
    await cache.settle()
    expect((await cache.thresholds()).tauSim).toBe(0.55)
    expect((await cacheStats(cache)).calibration).toMatchObject({ status: 'not yet certified', verified: 4, needed: 381 })
  })

  it('calibrates tau_judge, not tau_sim, when a judge decides hits', async () => {
    // Given a judge whose score is the similarity, loose thresholds, and a source that disagrees below 0.8
    const judge: Judge = { name: 'echo', judge: async (_q, candidates) => candidates.map((c) => ({ score: c.similarity })) }
    const { verify } = verifierFor(0.8)
    const store = openStore(join(tempDir(), 'cache.sqlite'))
    const cache = new SemanticCache({
      store, embedder: new SimilarityEmbedder(), clock: new ManualClock(0), policy: { name: 'echo-judge', useGuard: false, judge },
      thresholds: { tauSim: 0.5, tauJudge: 0.5 }, policyStores: sqlitePolicyStores(store), calibration: { verify, sampleShare: 1, random: () => 0 },
    })
    await cache.store({ query: 'stored question', result: STORED })
    // When 18 judged hits at 0.601-0.618 are verified wrong
    for (let i = 1; i <= 18; i++) expect((await cache.lookup(`ask ${0.6 + i / 1000}`)).decision.judge?.verdict).toBe('yes')
    await cache.settle()
    // Then tau_judge went up and tau_sim stayed where it was
    const thresholds = await cache.thresholds()
    expect(thresholds.tauJudge).toBe(0.65)
    expect(thresholds.tauSim).toBe(0.5)
    expect((await cacheStats(cache)).calibration).toMatchObject({ axis: 'judge', tau: thresholds.tauJudge })
  })

  it('counts a failing verification and never lets it reach the request', async () => {
    const verify = async () => {
      throw new Error('source down')
    }
    const { cache } = makeCache({ verify, sampleShare: 1, random: () => 0 })
    await cache.store({ query: 'stored question', result: STORED })
    const hit = await cache.lookup('ask 0.9')
    await cache.settle()
    expect(hit.decision.hit).toBe(true)
    expect(await contextOf(cache).store.counters()).toMatchObject({ verification_errors: 1 })
  })

  it('refuses to sample without a verifier, and rejects an impossible target', () => {
    expect(() => makeCache({ sampleShare: 0.1 })).toThrow(/needs a verify function/)
    expect(() => makeCache({ targetPrecision: 1 })).toThrow(/above 0 and below 1/)
  })
})

describe('SemanticCache.feedback', () => {
  it('removes a wrong element with its vector and counts a verified false hit in the band of its last hit', async () => {
    // Given an element served as a hit at similarity 0.62
    const { cache, store } = makeCache(undefined)
    const element = await cache.store({ query: 'stored question', result: STORED })
    await cache.lookup('ask 0.62')
    // When the user reports it wrong
    const report = await cache.feedback(element.id, { wrong: true })
    // Then it is gone (logged as a manual eviction) and counted as wrong in band 0.60-0.65
    expect(report).toMatchObject({ elementId: element.id, wrong: true, removed: true, scores: { similarity: expect.closeTo(0.62, 5) } })
    expect(await store.get(element.id)).toBeUndefined()
    expect(await store.getEmbedding(element.id)).toBeUndefined()
    const stores = sqlitePolicyStores(store)
    expect((await stores.eviction.log())[0]).toMatchObject({ elementId: element.id, reason: 'manual' })
    expect(await stores.calibration.bands({ embedder: 'test:similarity3', policy: 'none', axis: 'sim' })).toEqual([{ band: 12, verified: 1, wrong: 1 }])
    expect((await cacheStats(cache)).verification).toMatchObject({ verified: 1, wrong: 1 })
  })

  it('moves the threshold of a calibrating cache when reports show it too loose', async () => {
    // Given elements served as hits at similarity 0.6 (a threshold of 0.5 lets them through), each reported wrong
    const { cache } = makeCache({ sampleShare: 0 })
    for (let i = 0; i < 18; i++) {
      const element = await cache.store({ query: `stored question ${i}`, result: STORED })
      expect((await cache.lookup('ask 0.6')).decision.elementId).toBe(element.id)
      await cache.feedback(element.id, { wrong: true })
    }
    // Then the threshold rises above the similarity that served them
    expect((await cache.thresholds()).tauSim).toBeGreaterThan(0.6)
  })

  it('refuses a verdict on an element that was never served as a hit, and counts nothing', async () => {
    const { cache, store } = makeCache(undefined)
    const element = await cache.store({ query: 'stored question', result: STORED })
    await expect(cache.feedback(element.id, { wrong: true })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('never been served (0 hits)') })
    expect(await store.get(element.id)).toBeDefined()
    expect((await cacheStats(cache)).verification).toMatchObject({ verified: 0, wrong: 0 })
  })

  it('says when the element does not exist', async () => {
    const { cache } = makeCache(undefined)
    await expect(cache.feedback(42, { wrong: true })).rejects.toMatchObject({ code: 'NOT_FOUND', exitCode: 4 })
  })
})
