import type { TraceRequest } from '../../src/bench/trace-request.js'
import type { PrefetchOptions } from '../../src/core/prefetch.js'
import { replay, summarize, type ReplaySettings } from './replay.js'
import { workingSetOf } from './eviction-ablation.js'

export interface PrefetchRow {
  workload: string
  prefetch: 'off' | 'on'
  hitRate: number
  correctHits: number
  missCostUsd: number
  prefetchCalls: number
  prefetchCostUsd: number
  /** Misses plus prefetches. */
  totalCostUsd: number
  /** Share of prefetched elements hit at least once. */
  precision: number | null
  /** Hits served by prefetched elements. */
  prefetchHits: number
}

/**
 * Prefetch off vs on for one workload, with the cache held to `capacityShare` of its working
 * set (LCFU), so that the elements a session needs next have often been evicted.
 */
export async function prefetchAblation(
  workload: string,
  requests: readonly TraceRequest[],
  settings: Omit<ReplaySettings, 'budget' | 'prefetch' | 'sessions'>,
  prefetch: Omit<PrefetchOptions, 'loader' | 'enabled'>,
  capacityShare: number,
): Promise<{ capacity: number; rows: PrefetchRow[] }> {
  const { entries } = await workingSetOf(requests, settings)
  const capacity = Math.max(1, Math.round(entries * capacityShare))
  const rows: PrefetchRow[] = []
  for (const enabled of [false, true]) {
    const report = await replay(requests, { ...settings, budget: { maxEntries: capacity }, prefetch: { ...prefetch, enabled }, sessions: true })
    const summary = summarize(report.outcomes)
    const misses = report.tools.spent('miss')
    const prefetches = report.tools.spent('prefetch')
    rows.push({
      workload,
      prefetch: enabled ? 'on' : 'off',
      hitRate: summary.hitRate,
      correctHits: summary.correctHits,
      missCostUsd: misses.costUsd,
      prefetchCalls: prefetches.calls,
      prefetchCostUsd: prefetches.costUsd,
      totalCostUsd: misses.costUsd + prefetches.costUsd,
      precision: report.stats.prefetch.precision,
      prefetchHits: report.stats.prefetch.hits,
    })
  }
  return { capacity, rows }
}
