import type { DecisionRecord } from '../decision.js'
import type { CacheStore } from '../ports/cache-store.js'
import type { SemanticElement } from '../semantic-element.js'

/** What the store's counters (`asteria cache stats`) add for one answered request. */
export function servedDeltas(decision: DecisionRecord, element: SemanticElement | null, paid?: { latencyMs: number; costUsd: number }): Record<string, number> {
  const deltas: Record<string, number> = { requests: 1 }
  if (decision.kind === 'exact') deltas.hits_exact = 1
  if (decision.kind === 'semantic') deltas.hits_semantic = 1
  if (element && decision.hit) {
    deltas.cost_saved_usd = element.costUsd
    deltas.latency_saved_ms = element.latencyMs
  }
  if (!decision.hit) deltas.misses = 1
  if (paid) {
    deltas.remote_calls = 1
    deltas.cost_spent_usd = paid.costUsd
  }
  if (decision.judge) deltas.judge_calls = 1
  return deltas
}

export function countServed(
  store: CacheStore,
  namespace: string,
  decision: DecisionRecord,
  element: SemanticElement | null,
  paid?: { latencyMs: number; costUsd: number },
): Promise<void> {
  return store.addCounters(namespace, servedDeltas(decision, element, paid))
}
