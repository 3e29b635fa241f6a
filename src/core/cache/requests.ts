import type { DecisionRecord } from '../decision.js'
import type { SemanticElement } from '../semantic-element.js'

export interface RequestOptions {
  tool?: string
  args?: Record<string, unknown>
  namespace?: string
  /** The agent session asking: what it needs next is learned for prefetching. */
  session?: string
}

export interface FetchOptions extends RequestOptions {
  /** Bypass the cache entirely: call the source, store nothing. */
  noCache?: boolean
  /** Call the source and replace what is stored for this exact query. */
  refresh?: boolean
  /** Serve only elements younger than this, ms. */
  maxAgeMs?: number
  /** Told how the request will be served as soon as the cache knows, before any remote call or wait (tracing, simulation). */
  onDecision?: (decision: DecisionRecord, source: FetchResult['source']) => void
}

export interface LookupResult {
  decision: DecisionRecord
  element: SemanticElement | null
}

export interface FetchResult {
  result: unknown
  /** `cache`: served from a stored element; `remote`: the loader ran; `coalesced`: joined another request's call. */
  source: 'cache' | 'remote' | 'coalesced'
  decision: DecisionRecord
  element: SemanticElement | null
  /** Latency and cost of the remote call this request paid for (0 for hits and coalesced). */
  latencyMs: number
  costUsd: number
}
