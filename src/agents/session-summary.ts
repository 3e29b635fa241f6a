import type { Percentiles, SessionLookup, SessionSummary, SessionTask } from '../core/ports/session-log.js'

/** Nearest-rank percentile of the values (null when there are none). */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

function percentiles(values: readonly number[]): Percentiles {
  return { p50: percentile(values, 50), p95: percentile(values, 95) }
}

/** The session report's figures from its recorded tasks and look-ups. Hit rate = hits / requests. */
export function summarizeSession(tasks: readonly SessionTask[], lookups: readonly SessionLookup[]): SessionSummary {
  const count = (outcome: SessionLookup['outcome']) => lookups.filter((l) => l.outcome === outcome).length
  const sum = (values: number[]) => values.reduce((total, x) => total + x, 0)
  const exact = count('exact')
  const semantic = count('semantic')
  const hits = lookups.filter((l) => l.outcome === 'exact' || l.outcome === 'semantic')
  const judged = lookups.filter((l) => l.judgeMs !== null)
  const graded = tasks.filter((t) => t.correct !== null)
  const correct = graded.filter((t) => t.correct === true).length
  return {
    tasks: tasks.length,
    requests: lookups.length,
    hits: { exact, semantic, total: exact + semantic },
    misses: count('miss'),
    coalesced: count('coalesced'),
    prefetchHits: hits.filter((l) => l.prefetched).length,
    bypassed: count('bypass'),
    errors: count('error'),
    hitRate: lookups.length === 0 ? null : hits.length / lookups.length,
    lookupLatencyMs: percentiles(lookups.map((l) => l.latencyMs)),
    taskLatencyMs: percentiles(tasks.map((t) => t.durationMs)),
    remoteCalls: lookups.filter((l) => l.outcome === 'miss' || l.outcome === 'bypass').length,
    costSpentUsd: sum(lookups.map((l) => l.costUsd)),
    costSavedUsd: sum(hits.map((l) => l.savedCostUsd)),
    latencySavedMs: sum(hits.map((l) => l.savedLatencyMs)),
    judgeCalls: judged.length,
    judgeMs: sum(judged.map((l) => l.judgeMs ?? 0)),
    accuracy: { withAnswers: graded.length, correct, rate: graded.length === 0 ? null : correct / graded.length },
  }
}
