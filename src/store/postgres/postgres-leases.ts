import type pg from 'pg'
import type { Lease } from '../../core/ports/cache-store.js'
import { leaseHolder } from '../../core/ports/leases.js'
import { DB_NOW_MS } from './connection.js'

/**
 * Lease rows in the shared tier: a claim is a row that only an expired claim may overwrite, with
 * expiry on the database's clock. Rows rather than advisory locks: a claim pins no pooled
 * connection while the source is called, survives a dropped connection, and behaves the same
 * on PGlite, which serves every client from one backend (its advisory locks never conflict).
 */
export async function acquirePostgresLease(pool: pg.Pool, schema: string, key: string, ttlMs: number): Promise<Lease | null> {
  const holder = leaseHolder()
  const claimed = await pool.query(
    `INSERT INTO ${schema}.leases AS l (key, holder, expires_at) VALUES ($1, $2, ${DB_NOW_MS} + $3)
     ON CONFLICT (key) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
     WHERE l.expires_at <= ${DB_NOW_MS}
     RETURNING holder`,
    [key, holder, Math.round(ttlMs)],
  )
  if (claimed.rowCount === 0) return null
  return {
    renew: async (ms) =>
      (await pool.query(`UPDATE ${schema}.leases SET expires_at = ${DB_NOW_MS} + $3 WHERE key = $1 AND holder = $2`, [key, holder, Math.round(ms)]))
        .rowCount === 1,
    release: async () => {
      await pool.query(`DELETE FROM ${schema}.leases WHERE key = $1 AND holder = $2`, [key, holder])
    },
  }
}
