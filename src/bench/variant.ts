import type { VariantRequest } from './trace-request.js'

/** What one remote call returned, and what it cost. */
export interface RemoteCall {
  result: unknown
  latencyMs: number
  costUsd: number
}

/** What the replay offers a variant while it serves one request. */
export interface ServeContext {
  /** Calls the knowledge source for this request (the remote call of a miss). */
  remote(): Promise<RemoteCall>
  /** Says that this request now waits on another request's remote call (single flight). */
  waiting(): void
}

/** How a variant served one request; never a gold label. */
export interface ServeOutcome {
  /** `cache`: a hit; `remote`: this request's own remote call; `coalesced`: it joined another's. */
  source: 'cache' | 'remote' | 'coalesced'
  /** For hits: an exact repeat (after normalisation) or a match by meaning. */
  kind: 'exact' | 'semantic' | 'miss'
  /** The cached element served, stored or joined, when the variant has elements. */
  elementId: number | null
  result: unknown
  costUsd: number
  /** Wall time of the cache's own work for this request (look-up: embedding, search, guard, judge), ms. */
  cacheMs: number
  judgeCalls: number
  judgeMs: number
}

/** A way of answering requests (no cache, exact match, a semantic cache, the oracle) that the bench replays a trace through. */
export interface Variant {
  readonly name: string
  serve(request: VariantRequest, context: ServeContext): Promise<ServeOutcome>
  close(): Promise<void>
}
