import type { CacheStore } from '../core/ports/cache-store.js'
import { AsteriaError } from '../core/errors.js'
import type { SessionLog } from '../core/ports/session-log.js'

export { SqliteSessionLog } from './sqlite/sqlite-session-log.js'
export { PostgresSessionLog } from './postgres/postgres-session-log.js'

/**
 * Where a store records sessions: its SQLite file; a tiered store's shared tier (journaled in
 * the local file); a PostgreSQL store's own tables. Undefined for a store that keeps none.
 */
export function sessionLogOf(store: CacheStore): SessionLog | undefined {
  return store.sessionLog?.()
}

/** The session log kept next to a cache's elements (see `sessionLogOf`). */
export function openSessionLog(store: CacheStore): SessionLog {
  const log = sessionLogOf(store)
  if (!log) {
    throw new AsteriaError('STORE', `Sessions are recorded in a SQLite cache file or a PostgreSQL shared tier; ${store.location} is another kind of store.`, {
      suggestions: ['Pass --db with a SQLite cache file, or --store with a postgres:// URL.'],
    })
  }
  return log
}
