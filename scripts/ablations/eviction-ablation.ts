import type { TraceRequest } from '../../src/bench/trace-request.js'
import { EVICTION_POLICIES, type EvictionPolicy } from '../../src/core/eviction.js'
import { replay, summarize, type ReplaySettings } from './replay.js'

export interface EvictionRow {
  policy: EvictionPolicy | 'no limit'
  hitRate: number
  falseHitRate: number
  /** Calls the cache's misses made, and what they cost. */
  remoteCalls: number
  remoteCostUsd: number
  /** Requests per modelled second, one worker. */
  throughput: number
  evictions: number
}

export interface EvictionTable {
  budget: 'bytes' | 'entries'
  capacity: number
  rows: EvictionRow[]
}

export interface EvictionAblation {
  /** What an unlimited cache holds at the end of the trace: elements and bytes of results. */
  workingSet: { entries: number; bytes: number }
  unlimited: EvictionRow
  tables: EvictionTable[]
}

type BaseSettings = Omit<ReplaySettings, 'budget'>

/** What the cache ends up holding with no limit: what "a share of the working set" is a share of. */
export async function workingSetOf(requests: readonly TraceRequest[], settings: BaseSettings): Promise<{ entries: number; bytes: number; row: EvictionRow }> {
  const report = await replay(requests, settings)
  return { entries: report.stats.summary.elements, bytes: report.stats.summary.bytes, row: rowOf('no limit', report) }
}

/** LCFU vs LRU vs LFU with room for `capacityShare` of the working set, by bytes and by entries, each on a fresh cache, in one run. */
export async function evictionAblation(requests: readonly TraceRequest[], settings: BaseSettings, capacityShare: number): Promise<EvictionAblation> {
  const unlimited = await workingSetOf(requests, settings)
  const tables: EvictionTable[] = []
  for (const budget of ['bytes', 'entries'] as const) {
    const capacity = Math.max(1, Math.round((budget === 'bytes' ? unlimited.bytes : unlimited.entries) * capacityShare))
    const rows: EvictionRow[] = []
    for (const policy of EVICTION_POLICIES) {
      const limit = budget === 'bytes' ? { maxBytes: capacity } : { maxEntries: capacity }
      rows.push(rowOf(policy, await replay(requests, { ...settings, budget: { ...limit, policy } })))
    }
    tables.push({ budget, capacity, rows })
  }
  return { workingSet: { entries: unlimited.entries, bytes: unlimited.bytes }, unlimited: unlimited.row, tables }
}

function rowOf(policy: EvictionRow['policy'], report: Awaited<ReturnType<typeof replay>>): EvictionRow {
  const summary = summarize(report.outcomes)
  const misses = report.tools.spent('miss')
  return {
    policy,
    hitRate: summary.hitRate,
    falseHitRate: summary.falseHitRate,
    remoteCalls: misses.calls,
    remoteCostUsd: misses.costUsd,
    throughput: summary.throughput,
    evictions: report.stats.evictions.total,
  }
}
