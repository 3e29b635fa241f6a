import { existsSync } from 'node:fs'
import type { AsteriaConfig } from '../config/config.js'
import type { CacheStore } from '../core/ports/cache-store.js'
import { defaultThresholds } from '../core/calibration/thresholds.js'
import { isWritableCacheFile } from './sqlite/read-only-file.js'
import { openStore } from './sqlite/sqlite-store.js'

export interface OpenCacheStoreOptions {
  /** Where the shared tier's outage warning goes (once per process); default: process.emitWarning. */
  onWarning?: (message: string) => void
  /** The caller only reads: a cache file this user may not write is opened read-only instead of refused. */
  readOnly?: boolean
}

/**
 * The store the configuration asks for: the local cache file alone, or — when `storeUrl` names
 * a PostgreSQL — that shared tier with the local file as this machine's hot tier. Nothing
 * connects yet; the shared tier's migrations start in the background. The PostgreSQL client is
 * loaded only then, so a local cache never pays for it.
 */
export async function openCacheStore(config: AsteriaConfig & { storeUrl?: string }, options: OpenCacheStoreOptions = {}): Promise<CacheStore> {
  const readonly = options.readOnly === true && existsSync(config.db) && !isWritableCacheFile(config.db)
  const local = openStore(config.db, { readonly })
  if (!config.storeUrl) return local
  const [{ openPostgresStore }, { TieredStore }] = await Promise.all([import('./postgres/postgres-store.js'), import('./tiered/tiered-store.js')])
  const shared = openPostgresStore(config.storeUrl)
  void shared.ensureReady().catch(() => undefined)
  return new TieredStore(local, shared, {
    onWarning: options.onWarning ?? ((message) => process.emitWarning(message, 'AsteriaSharedTierWarning')),
    hotSimilarity: config.tauSim ?? defaultThresholds('', config.judge).tauSim,
    sharedEviction: { budget: { maxBytes: config.sharedMaxBytes, maxEntries: config.sharedMaxEntries, policy: config.evictionPolicy } },
  })
}
