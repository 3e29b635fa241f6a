import { requireElement } from './elements.js'
import { assessmentSettings, countVerifiedHit, describeCalibration, type CalibrationReport, type HitScores } from '../calibration/calibration.js'
import { AsteriaError } from '../errors.js'
import type { PolicyStores } from '../ports/policy-stores.js'
import { contextOf, type CacheLike } from '../cache/cache-context.js'

export interface FeedbackVerdict {
  /** true: the element was served for a question it does not answer. */
  wrong: boolean
}

export interface FeedbackReport {
  elementId: number
  query: string
  wrong: boolean
  /** A wrong element is removed (logged as a manual eviction); a confirmed one stays. */
  removed: boolean
  /** Scores of the element's latest hit: the band the verdict was counted in. */
  scores: HitScores
  calibration: CalibrationReport | null
}

/**
 * A user's verdict on a served element: a wrong one is removed and counts as a verified false
 * hit (a right one as a verified correct hit) in the band of its latest hit, and calibration
 * reacts to it like to a sampled verification.
 */
export async function recordFeedback(
  handle: CacheLike,
  id: number,
  verdict: FeedbackVerdict,
  options: { stores?: PolicyStores; targetPrecision?: number } = {},
): Promise<FeedbackReport> {
  const cache = contextOf(handle)
  const stores = options.stores ?? cache.policyStores
  if (!stores) {
    throw new AsteriaError('CONFIG', 'Feedback needs the calibration tables, and this cache store keeps none.', {
      suggestions: ['Pass `policyStores: sqlitePolicyStores(store)` when creating the SemanticCache.'],
    })
  }
  const element = await requireElement(cache, id)
  if (element.frequency === 0) {
    // A verdict on an answer nobody was served from the cache would teach calibration a hit that never happened.
    throw new AsteriaError('BAD_INPUT', `Expected an element the cache has served as a hit; element #${id} ("${element.query}") has never been served (0 hits), so it answered no one.`, {
      suggestions: [`If its stored answer is wrong anyway, delete it: asteria cache delete ${id}`, 'Feedback takes the element id of a hit, as its decision record names it (asteria query --json, asteria sessions ID).'],
    })
  }
  const scores = (await stores.calibration.hitScores(id)) ?? { similarity: null, judgeScore: null }
  const now = cache.clock.now()
  if (verdict.wrong) await stores.eviction.evict([id], 'manual', now)
  await cache.store.addCounters(element.namespace, verdict.wrong ? { feedback_wrong: 1 } : { feedback_correct: 1 })
  const calibrator = cache.calibrator
  let calibration: CalibrationReport | null = null
  if (calibrator) {
    await calibrator.record(element.namespace, scores, verdict.wrong)
    calibration = await calibrator.report()
  } else {
    const thresholds = await cache.thresholds()
    await countVerifiedHit(stores.calibration, cache.embedder.fingerprint, cache.policy.name, scores, thresholds, verdict.wrong)
    await cache.store.addCounters(element.namespace, { verified: 1, verified_wrong: verdict.wrong ? 1 : 0 })
    const key = { embedder: cache.embedder.fingerprint, policy: cache.policy.name, axis: cache.policy.judge ? 'judge' : 'sim' } as const
    calibration = await describeCalibration(stores.calibration, key, thresholds, assessmentSettings({ targetPrecision: options.targetPrecision }))
  }
  return { elementId: id, query: element.query, wrong: verdict.wrong, removed: verdict.wrong, scores, calibration }
}
