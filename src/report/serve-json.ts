import type { CacheStats } from '../core/admin/stats.js'
import type { ElementDetail } from '../core/admin/elements.js'
import type { FetchResult, LookupResult } from '../core/cache/requests.js'
import { elementJson, fetchJson } from './fetch-json.js'

export interface Saving {
  latencyMs: number
  costUsd: number
}

const NOTHING_SAVED: Saving = { latencyMs: 0, costUsd: 0 }

/** What a hit saved: the latency and price of the remote call that first produced the element. */
export function savingOf(hit: boolean, element: { latencyMs: number; costUsd: number } | null): Saving {
  return hit && element ? { latencyMs: element.latencyMs, costUsd: element.costUsd } : NOTHING_SAVED
}

/** A look-up through the cache as the CLI prints it with --json, plus what it saved. */
export function servedJson(query: string, result: FetchResult, now: number) {
  return { ...fetchJson(query, result, now), saved: savingOf(result.source === 'cache', result.element) }
}

/** A look-up without calling any source: the stored answer on a hit, null on a miss. */
export function lookupJson(query: string, found: LookupResult, now: number) {
  return {
    query,
    hit: found.decision.hit,
    decision: found.decision,
    element: found.element ? elementJson(found.element, now) : null,
    result: found.element ? found.element.result : null,
    saved: savingOf(found.decision.hit, found.element),
  }
}

/** One element with its nearest neighbours, as `asteria cache inspect ID --json` prints it. */
export function elementDetailJson(detail: ElementDetail, now: number) {
  return {
    element: elementJson(detail.element, now),
    neighbours: detail.neighbours.map((n) => ({ id: n.element.id, query: n.element.query, similarity: n.similarity })),
  }
}

/** Cache statistics without the server's file path, which a remote caller has no use for. */
export function statsJson(stats: CacheStats) {
  const { location: _location, ...rest } = stats
  return rest
}
