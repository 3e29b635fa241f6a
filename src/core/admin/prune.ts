import { contextOf, type CacheLike } from '../cache/cache-context.js'
import { AsteriaError } from '../errors.js'
import { pruneElements, type CacheBudget, type PruneReport } from '../eviction.js'
import type { PolicyStores } from '../ports/policy-stores.js'

/** `asteria cache prune`: drops every expired element, then evicts by policy until the budget holds. */
export async function pruneCache(handle: CacheLike, budget: CacheBudget, stores?: PolicyStores): Promise<PruneReport> {
  const cache = contextOf(handle)
  stores ??= cache.policyStores
  if (!stores) {
    throw new AsteriaError('CONFIG', 'Pruning needs the eviction log, and this cache store keeps none.', {
      suggestions: ['Pass `policyStores: sqlitePolicyStores(store)` when creating the SemanticCache.'],
    })
  }
  return pruneElements(stores.eviction, budget, cache.clock.now())
}
