import { quantile } from '../replay-metrics.js'
import type { MachineOutcome, SharedCallTimes } from './machine-protocol.js'

export interface LatencyQuantiles {
  p50: number
  p95: number
}

/** Calls of one kind to the shared tier: how many, and their time, ms. */
export interface SharedCallLatency extends LatencyQuantiles {
  calls: number
}

/** One way of running the N machines: each with its own cache, or all over one shared tier. */
export interface MachinesVariantReport {
  name: 'isolated' | 'shared'
  description: string
  requests: number
  /** Served from a stored element (coalesced requests are not hits). */
  hits: number
  hitRate: number
  /** Hits whose result carries the request's gold intent; null when the trace has no intents. */
  rightIntentHits: number | null
  rightIntentHitRate: number | null
  /** Requests that waited for another request's remote call. */
  coalesced: number
  remoteCalls: number
  /** The cache's own time per request, ms (the simulated remote's time excluded). */
  latencyMs: { all: LatencyQuantiles; hits: LatencyQuantiles | null; misses: LatencyQuantiles | null }
}

export interface MachinesBenchResult {
  trace: { name: string; requests: number; sessions: number; intents: number | null }
  machines: number
  requestsPerMachine: number[]
  /** Where the shared tier ran (password redacted) and the throwaway schema, dropped at the end. */
  sharedTier: { location: string; schema: string }
  settings: { embedder: string; judge: string; remoteLatencyMs: [number, number]; seed: number }
  variants: [MachinesVariantReport, MachinesVariantReport]
  /** The shared variant's calls to the shared tier: look-ups (exact, nearest) and writes (write-through); null when there were none. */
  sharedTierCalls: { lookups: SharedCallLatency | null; writes: SharedCallLatency | null }
  /** What sharing changed: shared minus isolated. */
  sharing: { hitRatePoints: number; remoteCallsSaved: number; addedLatencyMs: LatencyQuantiles; addedHitLatencyMs: LatencyQuantiles | null }
  notes: string[]
}

export function summarizeVariant(
  name: MachinesVariantReport['name'],
  description: string,
  outcomes: readonly MachineOutcome[],
  scoredIntents: boolean,
): MachinesVariantReport {
  const hits = outcomes.filter((o) => o.source === 'cache')
  const misses = outcomes.filter((o) => o.source === 'remote')
  const rightIntentHits = scoredIntents ? hits.filter((o) => o.rightIntent).length : null
  const share = (n: number) => (outcomes.length > 0 ? n / outcomes.length : 0)
  return {
    name,
    description,
    requests: outcomes.length,
    hits: hits.length,
    hitRate: share(hits.length),
    rightIntentHits,
    rightIntentHitRate: rightIntentHits === null ? null : share(rightIntentHits),
    coalesced: outcomes.filter((o) => o.source === 'coalesced').length,
    remoteCalls: misses.length,
    latencyMs: { all: quantilesOf(outcomes) ?? { p50: 0, p95: 0 }, hits: quantilesOf(hits), misses: quantilesOf(misses) },
  }
}

export function compareSharing(isolated: MachinesVariantReport, shared: MachinesVariantReport): MachinesBenchResult['sharing'] {
  const minus = (a: LatencyQuantiles, b: LatencyQuantiles) => ({ p50: a.p50 - b.p50, p95: a.p95 - b.p95 })
  return {
    hitRatePoints: 100 * (shared.hitRate - isolated.hitRate),
    remoteCallsSaved: isolated.remoteCalls - shared.remoteCalls,
    addedLatencyMs: minus(shared.latencyMs.all, isolated.latencyMs.all),
    addedHitLatencyMs: shared.latencyMs.hits && isolated.latencyMs.hits ? minus(shared.latencyMs.hits, isolated.latencyMs.hits) : null,
  }
}

export function summarizeSharedCalls(times: SharedCallTimes): MachinesBenchResult['sharedTierCalls'] {
  const of = (ms: number[]) => {
    const quantiles = quantilesOfMs(ms)
    return quantiles && { calls: ms.length, ...quantiles }
  }
  return { lookups: of(times.lookups), writes: of(times.writes) }
}

function quantilesOf(outcomes: readonly MachineOutcome[]): LatencyQuantiles | null {
  return quantilesOfMs(outcomes.map((o) => o.ms))
}

function quantilesOfMs(ms: readonly number[]): LatencyQuantiles | null {
  if (ms.length === 0) return null
  const sorted = [...ms].sort((a, b) => a - b)
  return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95) }
}
