import type { CacheStore, ExclusiveOutcome } from '../../core/ports/cache-store.js'
import { AsteriaError } from '../../core/errors.js'
import type { CacheBudget, PruneReport } from '../../core/eviction.js'
import { TieredStore } from './tiered-store.js'

/** `asteria cache prune --shared`: prunes the shared tier of a tiered store; anything else is a configuration error. */
export function pruneSharedTier(store: CacheStore, now: number, budget?: CacheBudget): Promise<ExclusiveOutcome<PruneReport>> {
  if (!(store instanceof TieredStore)) {
    throw new AsteriaError('CONFIG', `Pruning the shared tier needs a shared PostgreSQL store; the cache is ${store.location}.`, {
      suggestions: ['Pass --store postgres://… (or set ASTERIA_STORE_URL), or drop --shared to prune this machine\'s cache.'],
    })
  }
  return store.pruneShared(now, budget)
}
