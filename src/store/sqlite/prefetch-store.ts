import type Database from 'better-sqlite3'
import type { PrefetchTarget, Successor, TransitionStore } from '../../core/prefetch.js'

interface StateRow {
  key: string
  namespace: string
  tool: string
  args_json: string
  scope_key: string
  query: string
  normalized_query: string
  cost_usd: number
}

/** The prefetch Markov model's counts: one row per state (an element's query in its scope), one per transition. */
export class SqliteTransitionStore implements TransitionStore {
  constructor(private readonly db: Database.Database) {}

  async observe(from: string | null, to: PrefetchTarget, now: number): Promise<void> {
    this.db
      .transaction(() => {
        this.db
          .prepare(`INSERT INTO prefetch_states (key, namespace, tool, args_json, scope_key, query, normalized_query, cost_usd, seen_at)
            VALUES (@key, @namespace, @tool, @args_json, @scope_key, @query, @normalized_query, @cost_usd, @seen_at)
            ON CONFLICT (key) DO UPDATE SET query = excluded.query, cost_usd = excluded.cost_usd, seen_at = excluded.seen_at`)
          .run({
            key: to.key,
            namespace: to.namespace,
            tool: to.tool,
            args_json: JSON.stringify(to.args),
            scope_key: to.scopeKey,
            query: to.query,
            normalized_query: to.normalizedQuery,
            cost_usd: to.costUsd,
            seen_at: Math.round(now),
          })
        if (from === null) return
        this.db
          .prepare(`INSERT INTO transitions (from_key, to_key, count) VALUES (?, ?, 1)
            ON CONFLICT (from_key, to_key) DO UPDATE SET count = count + 1`)
          .run(from, to.key)
      })
      .immediate()
  }

  async successors(from: string, limit: number): Promise<{ total: number; successors: Successor[] }> {
    const { total } = this.db.prepare('SELECT coalesce(sum(count), 0) AS total FROM transitions WHERE from_key = ?').get(from) as { total: number }
    if (total === 0) return { total, successors: [] }
    const rows = this.db
      .prepare(`SELECT t.count, s.* FROM transitions t JOIN prefetch_states s ON s.key = t.to_key
        WHERE t.from_key = ? ORDER BY t.count DESC, t.to_key LIMIT ?`)
      .all(from, limit) as (StateRow & { count: number })[]
    return {
      total,
      successors: rows.map((r) => ({
        count: r.count,
        probability: r.count / total,
        target: {
          key: r.key,
          namespace: r.namespace,
          tool: r.tool,
          args: JSON.parse(r.args_json) as Record<string, unknown>,
          scopeKey: r.scope_key,
          query: r.query,
          normalizedQuery: r.normalized_query,
          costUsd: r.cost_usd,
        },
      })),
    }
  }
}
