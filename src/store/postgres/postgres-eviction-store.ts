import {
  checkBudget,
  type CacheUsage,
  type EvictionPolicy,
  type EvictionReason,
  type EvictionRecord,
  type EvictionRequest,
  type EvictionStore,
} from '../../core/eviction.js'
import { toEvictionRecord, type EvictionLogRow } from '../eviction-rows.js'
import { toEpochMs } from './connection.js'
import type { PostgresDatabase } from './database.js'

/** The LCFU value of core/eviction.ts `lcfuScore`, as SQL. */
const LCFU_VALUE =
  '(ln(frequency + 2) * ln(cost_usd * 1000 + 1) * ln(latency_ms / 1000 + 1) * ln(staticity + 1) / greatest(size_bytes, 1))'

const POLICY_ORDER: Record<EvictionPolicy, string> = {
  lcfu: `${LCFU_VALUE}, last_access_at, id`,
  lru: 'last_access_at, id',
  lfu: 'frequency, last_access_at, id',
}

/**
 * Eviction of the shared tier. Each call is one statement: the victims are the shortest prefix
 * of the eviction order (expired first, then the policy's) whose removal brings the usage
 * within budget; they are deleted (their vectors go by cascade), logged and counted together.
 * Machines must not run it at once — TieredStore.pruneShared runs it under `withExclusive`.
 */
export class PostgresEvictionStore implements EvictionStore {
  constructor(private readonly db: PostgresDatabase) {}

  async usage(namespace?: string): Promise<CacheUsage> {
    const { rows } = await this.db.sql<{ entries: number; bytes: number }>(
      `SELECT count(*)::bigint AS entries, coalesce(sum(size_bytes), 0)::bigint AS bytes FROM ${this.db.schema}.elements
       WHERE $1::text IS NULL OR namespace = $1`,
      [namespace ?? null],
    )
    return rows[0]
  }

  async evictOverBudget({ budget, now, protect = [] }: EvictionRequest): Promise<EvictionRecord[]> {
    const { policy, namespace, maxBytes, maxEntries } = checkBudget(budget)
    const s = this.db.schema
    return this.removeWhere(
      `WITH usage AS (
         SELECT count(*) AS entries, coalesce(sum(size_bytes), 0) AS bytes FROM ${s}.elements WHERE $2::text IS NULL OR namespace = $2),
       ranked AS (
         SELECT id, size_bytes, row_number() OVER w AS n, sum(size_bytes) OVER w AS through_bytes FROM ${s}.elements
         WHERE ($2::text IS NULL OR namespace = $2) AND NOT (id = ANY($3::bigint[]))
         WINDOW w AS (ORDER BY expires_at <= $1 DESC, ${POLICY_ORDER[policy]} ROWS UNBOUNDED PRECEDING))
       SELECT r.id, r.n AS ord FROM ranked r, usage u
       WHERE ($4::bigint IS NOT NULL AND r.n - 1 < u.entries - $4) OR ($5::bigint IS NOT NULL AND r.through_bytes - r.size_bytes < u.bytes - $5)`,
      [toEpochMs(now), namespace ?? null, protect, maxEntries ?? null, maxBytes ?? null],
      policy,
      now,
    )
  }

  evictExpired(now: number, namespace?: string): Promise<EvictionRecord[]> {
    return this.removeWhere(
      `SELECT id, row_number() OVER (ORDER BY expires_at, id) AS ord FROM ${this.db.schema}.elements WHERE expires_at <= $1 AND ($2::text IS NULL OR namespace = $2)`,
      [toEpochMs(now), namespace ?? null],
      'expired',
      now,
    )
  }

  evict(ids: number[], reason: EvictionReason, now: number): Promise<EvictionRecord[]> {
    return this.removeWhere('SELECT id, ord FROM unnest($1::bigint[]) WITH ORDINALITY AS t (id, ord)', [ids], reason, now)
  }

  async log(options: { limit?: number; namespace?: string } = {}): Promise<EvictionRecord[]> {
    const { rows } = await this.db.sql<EvictionLogRow>(
      `SELECT * FROM ${this.db.schema}.evictions WHERE $1::text IS NULL OR namespace = $1 ORDER BY id DESC LIMIT $2`,
      [options.namespace ?? null, options.limit ?? null],
    )
    return rows.map(toEvictionRecord)
  }

  /**
   * Deletes the elements `victims` selects (id, and ord: the eviction order; its parameters are `params`), logs each
   * with `reason` ('expired' wins for an element already past its expiry) and counts them.
   */
  private async removeWhere(victims: string, params: unknown[], reason: EvictionReason, now: number): Promise<EvictionRecord[]> {
    const s = this.db.schema
    const at = params.length + 1
    const why = params.length + 2
    const { rows } = await this.db.sql<EvictionLogRow>(
      `WITH victims AS (${victims}),
       deleted AS (
         DELETE FROM ${s}.elements e USING victims v WHERE e.id = v.id
         RETURNING v.ord, e.id, e.namespace, e.tool, e.scope_key, e.query, e.created_at,
           CASE WHEN e.expires_at <= $${at} THEN 'expired' ELSE $${why}::text END AS reason),
       logged AS (
         INSERT INTO ${s}.evictions (element_id, namespace, tool, scope_key, query, created_at, reason, evicted_at)
         SELECT id, namespace, tool, scope_key, query, created_at, reason, $${at} FROM deleted ORDER BY ord
         RETURNING *),
       counted AS (
         INSERT INTO ${s}.counters AS c (namespace, name, value)
         SELECT namespace, 'evicted_' || reason, count(*) FROM deleted GROUP BY namespace, reason
         ON CONFLICT (namespace, name) DO UPDATE SET value = c.value + EXCLUDED.value)
       SELECT * FROM logged ORDER BY id`,
      [...params, toEpochMs(now), reason],
    )
    return rows.map(toEvictionRecord)
  }
}
