import type { CacheStore } from '../core/cache-store.js'
import type { SessionRecord } from '../core/session-log.js'
import { SqliteStore } from '../store/sqlite-store.js'
import { openSessionLog } from '../store/session-store.js'

/** The sessions of one namespace, newest first, at most `limit`. */
export type SessionLister = (namespace: string, limit: number) => Promise<SessionRecord[]>

/**
 * Sessions `asteria run` recorded next to the cache's elements. Only a SQLite cache records
 * them; another kind of store (the shared tier) has none to list.
 */
export function recordedSessions(store: CacheStore): SessionLister {
  if (!(store instanceof SqliteStore)) return async () => []
  const log = openSessionLog(store)
  return (namespace, limit) => log.list({ namespace, limit })
}
