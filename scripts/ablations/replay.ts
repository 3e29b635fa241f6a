import type { TraceRequest } from '../../src/bench/trace-request.js'
import { cacheStats, type CacheStats } from '../../src/core/admin/stats.js'
import type { CalibrationOptions } from '../../src/core/calibration/calibration.js'
import { ManualClock } from '../../src/core/clock.js'
import type { CacheBudget } from '../../src/core/eviction.js'
import type { PrefetchOptions } from '../../src/core/prefetch.js'
import { SemanticCache } from '../../src/core/cache/semantic-cache.js'
import type { Embedder } from '../../src/core/ports/embedder.js'
import type { HitPolicy } from '../../src/core/ports/hit-policy.js'
import { sqlitePolicyStores } from '../../src/store/sqlite/sqlite-policy-stores.js'
import { openStore } from '../../src/store/sqlite/sqlite-store.js'
import { SimulatedTools } from './simulated-tools.js'

export interface ReplaySettings {
  embedder: Embedder
  policy: HitPolicy
  tauSim: number
  budget?: CacheBudget
  prefetch?: Omit<PrefetchOptions, 'loader'>
  calibration?: Omit<CalibrationOptions, 'verify'>
  /** Pass each request's session to the cache (the prefetch model learns from it). */
  sessions?: boolean
}

export interface RequestOutcome {
  index: number
  hit: boolean
  /** For hits: whether the served result belongs to the request's intent. */
  correct: boolean | null
  /** For hits: the similarity they were served at (1 for exact repeats). */
  similarity: number | null
  /** Modelled time of the request: measured cache work plus the simulated remote call, ms. */
  modelledMs: number
  /** tau_sim in force once the request and its background work were done. */
  tauSim: number
}

export interface ReplayReport {
  outcomes: RequestOutcome[]
  tools: SimulatedTools
  stats: CacheStats
  /** tau_sim in force when the replay ended. */
  finalTauSim: number
}

/**
 * A sequential closed-loop replay (one worker, requests in trace order) of a trace through a
 * real SemanticCache on an in-memory SQLite store and a ManualClock. Remote latency is simulated;
 * cache work is really done and timed. Background work (prefetches, verifications) finishes
 * between requests, off every request's timeline, but its calls are counted and paid.
 */
export async function replay(requests: readonly TraceRequest[], settings: ReplaySettings): Promise<ReplayReport> {
  const tools = new SimulatedTools(requests)
  const clock = new ManualClock(Date.UTC(2025, 0, 1))
  const store = openStore(':memory:')
  const cache = new SemanticCache({
    store,
    embedder: settings.embedder,
    policy: settings.policy,
    clock,
    thresholds: { tauSim: settings.tauSim },
    policyStores: sqlitePolicyStores(store),
    budget: settings.budget,
    prefetch: settings.prefetch && { ...settings.prefetch, loader: async (target) => tools.call('prefetch', target.tool, target.query) },
    calibration: settings.calibration && { ...settings.calibration, verify: async (_element, request) => tools.call('verify', request.tool, request.query) },
  })
  const outcomes: RequestOutcome[] = []
  for (const request of requests) {
    let remoteMs = 0
    const started = performance.now()
    const answer = await cache.fetchThrough(
      request.query,
      async () => {
        const call = tools.call('miss', request.tool, request.query)
        remoteMs = call.latencyMs!
        return call
      },
      { tool: request.tool, session: settings.sessions ? request.session : undefined },
    )
    const modelledMs = performance.now() - started + remoteMs
    clock.advance(modelledMs)
    const hit = answer.source === 'cache'
    await cache.settle()
    outcomes.push({
      index: request.index,
      hit,
      correct: hit ? SimulatedTools.intentOf(answer.result) === request.intent : null,
      similarity: hit ? answer.decision.similarity : null,
      modelledMs,
      tauSim: (await cache.thresholds()).tauSim,
    })
  }
  const report = { outcomes, tools, stats: await cacheStats(cache), finalTauSim: (await cache.thresholds()).tauSim }
  await cache.close()
  return report
}

export interface SliceSummary {
  requests: number
  hits: number
  correctHits: number
  falseHits: number
  hitRate: number
  /** Wrong hits / hits. */
  falseHitRate: number
  /** Requests per modelled second, one worker. */
  throughput: number
}

export function summarize(outcomes: readonly RequestOutcome[]): SliceSummary {
  const hits = outcomes.filter((o) => o.hit).length
  const correctHits = outcomes.filter((o) => o.correct === true).length
  const seconds = outcomes.reduce((sum, o) => sum + o.modelledMs, 0) / 1000
  return {
    requests: outcomes.length,
    hits,
    correctHits,
    falseHits: hits - correctHits,
    hitRate: outcomes.length ? hits / outcomes.length : 0,
    falseHitRate: hits ? (hits - correctHits) / hits : 0,
    throughput: seconds ? outcomes.length / seconds : 0,
  }
}
