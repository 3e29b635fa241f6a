import type { CalibrationStore } from '../calibration/calibration.js'
import type { CacheStore } from './cache-store.js'
import type { EvictionStore } from '../eviction.js'
import type { TransitionStore } from '../prefetch.js'

/** The tables behind eviction, prefetching and calibration, kept next to the elements they describe. */
export interface PolicyStores {
  eviction: EvictionStore
  transitions: TransitionStore
  calibration: CalibrationStore
  /**
   * Store-side upkeep after each stored element, on the cache's clock (a tiered store prunes its
   * shared tier now and then); must return quickly and leave slow work in the background.
   */
  upkeep?(now: number): Promise<void>
}

/** A cache store that also keeps the policy tables (and so needs no `policyStores` option). */
export interface PolicyStoreProvider {
  policyStores(): PolicyStores
}

export function providedPolicyStores(store: CacheStore): PolicyStores | undefined {
  const provider = store as Partial<PolicyStoreProvider>
  return typeof provider.policyStores === 'function' ? provider.policyStores() : undefined
}
