import type { CacheStore } from '../core/ports/cache-store.js'
import type { SessionRecord } from '../core/ports/session-log.js'
import { sessionLogOf } from '../store/session-store.js'

/** The sessions of one namespace, newest first, at most `limit`. */
export type SessionLister = (namespace: string, limit: number) => Promise<SessionRecord[]>

/**
 * Sessions `asteria run` recorded: in the cache file, or — with a shared tier — every machine's,
 * in PostgreSQL. A store that records none has none to list.
 */
export function recordedSessions(store: CacheStore): SessionLister {
  const log = sessionLogOf(store)
  if (!log) return async () => []
  return (namespace, limit) => log.list({ namespace, limit })
}
