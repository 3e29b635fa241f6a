import type { Calibrator } from '../calibration/calibration.js'
import type { Clock } from '../clock.js'
import type { Thresholds } from '../decision.js'
import type { CacheStore } from '../ports/cache-store.js'
import type { Embedder } from '../ports/embedder.js'
import type { HitPolicy } from '../ports/hit-policy.js'
import type { PolicyStores } from '../ports/policy-stores.js'
import type { Scope } from '../scope.js'
import type { RequestOptions } from './requests.js'

/**
 * What the helpers around a cache (statistics, inspection, feedback, import, re-embedding,
 * pruning) may use of it: its store and policy tables, its embedder and hit policy, its clock and
 * thresholds. They take this, not the SemanticCache class.
 */
export interface CacheContext {
  readonly store: CacheStore
  readonly embedder: Embedder
  readonly policy: HitPolicy
  readonly clock: Clock
  /** Tables of eviction, prefetching and calibration; undefined when the store keeps none. */
  readonly policyStores: PolicyStores | undefined
  /** Present when the cache calibrates itself. */
  readonly calibrator: Calibrator | undefined
  /** The scope a request is answered in (its namespace, tool, arguments, source and embedder). */
  scope(request: RequestOptions): Scope
  thresholds(): Promise<Thresholds>
  invalidateThresholds(): void
  /** Resolves once the embedder is registered (whatever reads or rewrites elements waits for it). */
  ready(): Promise<void>
}

/** The key under which a cache hands its context to the helpers; not part of the public API. */
export const CACHE_CONTEXT: unique symbol = Symbol('asteria.cacheContext')

/** A cache as the helpers take it: a SemanticCache, or anything else that carries a context. */
export interface CacheHandle {
  readonly [CACHE_CONTEXT]: CacheContext
}

/** What a helper takes: a cache (a SemanticCache) or its context. */
export type CacheLike = CacheHandle | CacheContext

export function contextOf(cache: CacheLike): CacheContext {
  return CACHE_CONTEXT in cache ? cache[CACHE_CONTEXT] : cache
}
