import type { FetchResult } from '../core/cache/requests.js'
import type { SemanticElement } from '../core/semantic-element.js'

/** The public --json shape of one element (embedding left out: it is large and model-specific). */
export function elementJson(element: SemanticElement, now: number) {
  const { embedding: _embedding, ...rest } = element
  return { ...rest, ttlLeftMs: Math.max(0, element.expiresAt - now), expired: element.expiresAt <= now }
}

/** The public --json shape of one look-up through the cache. */
export function fetchJson(query: string, result: FetchResult, now: number) {
  return {
    query,
    source: result.source,
    hit: result.decision.hit,
    latencyMs: result.latencyMs,
    costUsd: result.costUsd,
    decision: result.decision,
    element: result.element ? elementJson(result.element, now) : null,
    result: result.result,
  }
}
