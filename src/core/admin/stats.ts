import type { StoreSummary } from '../ports/cache-store.js'
import { assessmentSettings, describeCalibration, type CalibrationReport } from '../calibration/calibration.js'
import type { Thresholds } from '../decision.js'
import { EVICTION_REASONS, type EvictionReason } from '../eviction.js'
import type { PolicyStores } from '../ports/policy-stores.js'
import { contextOf, type CacheLike } from '../cache/cache-context.js'

export interface CacheStats {
  location: string
  namespace: string | null
  summary: StoreSummary
  requests: number
  hits: { exact: number; semantic: number; total: number }
  misses: number
  coalesced: number
  bypassed: number
  hitRate: number | null
  remoteCalls: number
  costSpentUsd: number
  costSavedUsd: number
  latencySavedMs: number
  policy: string
  embedder: string
  thresholds: Thresholds
  /** Elements evicted, by reason. */
  evictions: Record<EvictionReason, number> & { total: number }
  prefetch: PrefetchStats
  /** Hits re-asked of the source to measure precision (remote calls, in `costSpentUsd` too). */
  verification: { calls: number; costUsd: number; verified: number; wrong: number }
  /** Precision estimate, its bound and sample at the thresholds in force; null when the store keeps no calibration tables. */
  calibration: CalibrationReport | null
}

export interface PrefetchStats {
  /** Prefetch calls made (in `remoteCalls` and `costSpentUsd` too). */
  prefetches: number
  costUsd: number
  /** Prefetched elements hit at least once, and all hits they served. */
  used: number
  hits: number
  /** used / prefetches. */
  precision: number | null
  overBudget: number
}

export interface StatsOptions {
  /** Calibration tables to report from (default: the cache's own). */
  stores?: PolicyStores
  /** Target the calibration status is judged against when the cache does not calibrate itself; default 0.99. */
  targetPrecision?: number
}

export async function cacheStats(handle: CacheLike, namespace?: string, options: StatsOptions = {}): Promise<CacheStats> {
  const cache = contextOf(handle)
  const c = await cache.store.counters(namespace)
  const get = (name: string) => c[name] ?? 0
  const requests = get('requests')
  const hits = get('hits_exact') + get('hits_semantic')
  return {
    location: cache.store.location,
    namespace: namespace ?? null,
    summary: await cache.store.summary(cache.clock.now(), namespace),
    requests,
    hits: { exact: get('hits_exact'), semantic: get('hits_semantic'), total: hits },
    misses: get('misses'),
    coalesced: get('coalesced'),
    bypassed: get('bypassed'),
    hitRate: requests === 0 ? null : hits / requests,
    remoteCalls: get('remote_calls'),
    costSpentUsd: get('cost_spent_usd'),
    costSavedUsd: get('cost_saved_usd'),
    latencySavedMs: get('latency_saved_ms'),
    policy: cache.policy.name,
    embedder: cache.embedder.fingerprint,
    thresholds: await cache.thresholds(),
    evictions: { ...Object.fromEntries(EVICTION_REASONS.map((r) => [r, get(`evicted_${r}`)])), total: EVICTION_REASONS.reduce((sum, r) => sum + get(`evicted_${r}`), 0) } as CacheStats['evictions'],
    prefetch: {
      prefetches: get('prefetches'),
      costUsd: get('prefetch_cost_usd'),
      used: get('prefetch_used'),
      hits: get('prefetch_hits'),
      precision: get('prefetches') === 0 ? null : get('prefetch_used') / get('prefetches'),
      overBudget: get('prefetch_over_budget'),
    },
    verification: { calls: get('verifications'), costUsd: get('verification_cost_usd'), verified: get('verified'), wrong: get('verified_wrong') },
    calibration: await calibrationReport(cache, options),
  }
}

async function calibrationReport(handle: CacheLike, options: StatsOptions): Promise<CalibrationReport | null> {
  const cache = contextOf(handle)
  if (cache.calibrator) return cache.calibrator.report()
  const stores = options.stores ?? cache.policyStores
  if (!stores) return null
  const key = { embedder: cache.embedder.fingerprint, policy: cache.policy.name, axis: cache.policy.judge ? 'judge' : 'sim' } as const
  return describeCalibration(stores.calibration, key, await cache.thresholds(), assessmentSettings({ targetPrecision: options.targetPrecision }))
}

export interface CalibrationReset {
  /** Verified hits forgotten, and threshold changes undone. */
  verified: number
  changes: number
  /** The thresholds in force now: configured or defaults. */
  thresholds: Thresholds
}

/** Forgets what self-calibration learned (counts, calibrated thresholds, their history): thresholds return to configured or default values. */
export async function resetCalibration(handle: CacheLike, stores?: PolicyStores): Promise<CalibrationReset> {
  const cache = contextOf(handle)
  const calibration = (stores ?? cache.policyStores)?.calibration
  const forgotten = calibration ? await calibration.reset() : { verified: 0, changes: 0 }
  cache.invalidateThresholds()
  return { ...forgotten, thresholds: await cache.thresholds() }
}
