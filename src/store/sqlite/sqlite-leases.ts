import type Database from 'better-sqlite3'
import type { Lease } from '../../core/ports/cache-store.js'
import { leaseHolder } from '../../core/ports/leases.js'

/**
 * Lease rows in the cache file, for processes of one machine sharing it: a claim is a row that
 * only an expired claim may overwrite. Expiry uses this machine's clock, the one all of them share.
 */
export function acquireSqliteLease(db: Database.Database, key: string, ttlMs: number): Lease | null {
  const holder = leaseHolder()
  const claimed = db
    .prepare(`INSERT INTO leases (key, holder, expires_at) VALUES (?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at WHERE leases.expires_at <= ?`)
    .run(key, holder, Date.now() + ttlMs, Date.now())
  if (claimed.changes === 0) return null
  return {
    renew: async (ms) => db.prepare('UPDATE leases SET expires_at = ? WHERE key = ? AND holder = ?').run(Date.now() + ms, key, holder).changes === 1,
    release: async () => {
      if (db.open) db.prepare('DELETE FROM leases WHERE key = ? AND holder = ?').run(key, holder)
    },
  }
}
