import type Database from 'better-sqlite3'
import type { CacheStore } from '../../core/ports/cache-store.js'
import { AsteriaError } from '../../core/errors.js'
import type { PolicyStores } from '../../core/ports/policy-stores.js'
import { SqliteCalibrationStore } from './calibration-store.js'
import { SqliteEvictionStore } from './eviction-store.js'
import { SqliteTransitionStore } from './prefetch-store.js'
import { SqliteStore } from './sqlite-store.js'

const byDatabase = new WeakMap<Database.Database, PolicyStores>()

/** The eviction log, prefetch model and calibration tables of a SQLite cache file (one set per open file). */
export function sqlitePolicyStores(store: CacheStore): PolicyStores {
  if (!(store instanceof SqliteStore)) {
    throw new AsteriaError('STORE', `Expected a SQLite cache store for eviction, prefetching and calibration, received ${store.constructor?.name ?? typeof store}.`, {
      suggestions: ['Pass `policyStores` that implement the interfaces in src/core/ports/policy-stores.ts for other stores.'],
    })
  }
  let stores = byDatabase.get(store.db)
  if (!stores) {
    stores = { eviction: new SqliteEvictionStore(store), transitions: new SqliteTransitionStore(store.db), calibration: new SqliteCalibrationStore(store.db) }
    byDatabase.set(store.db, stores)
  }
  return stores
}
