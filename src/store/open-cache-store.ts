import type { AsteriaConfig } from '../config/config.js'
import type { CacheStore } from '../core/cache-store.js'
import { defaultThresholds } from '../core/thresholds.js'
import { openPostgresStore } from './postgres-store.js'
import { openStore } from './sqlite-store.js'
import { TieredStore } from './tiered-store.js'

export interface OpenCacheStoreOptions {
  /** Where the shared tier's outage warning goes (once per process); default: process.emitWarning. */
  onWarning?: (message: string) => void
}

/**
 * The store the configuration asks for: the local cache file alone, or — when `storeUrl` names
 * a PostgreSQL — that shared tier with the local file as this machine's hot tier. Nothing
 * connects yet; the shared tier's migrations start in the background.
 */
export function openCacheStore(config: AsteriaConfig & { storeUrl?: string }, options: OpenCacheStoreOptions = {}): CacheStore {
  const local = openStore(config.db)
  if (!config.storeUrl) return local
  const shared = openPostgresStore(config.storeUrl)
  void shared.ensureReady().catch(() => undefined)
  return new TieredStore(local, shared, {
    onWarning: options.onWarning ?? ((message) => process.emitWarning(message, 'AsteriaSharedTierWarning')),
    hotSimilarity: config.tauSim ?? defaultThresholds('', config.judge).tauSim,
    sharedEviction: { budget: { maxBytes: config.sharedMaxBytes, maxEntries: config.sharedMaxEntries, policy: config.evictionPolicy } },
  })
}
