import type pg from 'pg'
import type { ElementFilter, StoreSummary } from '../../core/ports/cache-store.js'
import { toEpochMs } from './connection.js'

const SORT_SQL = { hits: 'frequency DESC, id', cost: 'cost_usd DESC, id', recent: 'last_access_at DESC, id DESC' }

/** The shared tier's `cache list` query: the SQLite store's filters and orders, with $n parameters. */
export function listQuery(schema: string, filter: ElementFilter): { text: string; params: unknown[] } {
  const where: string[] = []
  const params: unknown[] = []
  const add = (clause: string, value: unknown) => (params.push(value), where.push(clause.replace('?', `$${params.length}`)))
  if (filter.namespace !== undefined) add('namespace = ?', filter.namespace)
  if (filter.tool !== undefined) add('tool = ?', filter.tool)
  if (filter.search) add(`query LIKE ? ESCAPE '\\'`, `%${filter.search.replace(/[\\%_]/g, '\\$&')}%`)
  if (filter.expired === true) add('expires_at <= ?', toEpochMs(filter.now))
  if (filter.expired === false) add('expires_at > ?', toEpochMs(filter.now))
  params.push(filter.limit ?? null)
  const text = `SELECT * FROM ${schema}.elements ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
    ORDER BY ${SORT_SQL[filter.sort ?? 'recent']} LIMIT $${params.length}`
  return { text, params }
}

type Query = <R extends pg.QueryResultRow>(text: string, params: unknown[]) => Promise<pg.QueryResult<R>>

/** Totals, per-tool and per-embedder counts of the shared tier (of one namespace, or all). */
export async function summarize(query: Query, schema: string, now: number, namespace?: string): Promise<StoreSummary> {
  const scoped = namespace === undefined ? '' : 'WHERE namespace = $1'
  const args = namespace === undefined ? [] : [namespace]
  const groupBy = (column: string) =>
    query<{ key: string; n: number }>(`SELECT ${column} AS key, count(*) AS n FROM ${schema}.elements ${scoped} GROUP BY ${column}`, args)
  const [totals, tools, perEmbedder, embedders] = await Promise.all([
    query<{ elements: number; bytes: number; expired: number }>(
      `SELECT count(*) AS elements, coalesce(sum(size_bytes), 0)::bigint AS bytes,
        count(*) FILTER (WHERE expires_at <= $${args.length + 1}) AS expired FROM ${schema}.elements ${scoped}`,
      [...args, toEpochMs(now)],
    ),
    groupBy('tool'),
    groupBy('embedder'),
    query<{ fingerprint: string; model: string; dimensions: number }>(`SELECT fingerprint, model, dimensions FROM ${schema}.embedders ORDER BY created_at`, []),
  ])
  const counts = new Map(perEmbedder.rows.map((r) => [r.key, r.n]))
  return {
    ...totals.rows[0],
    byTool: Object.fromEntries(tools.rows.map((t) => [t.key, t.n])),
    embedders: embedders.rows.map((e) => ({ ...e, elements: counts.get(e.fingerprint) ?? 0 })),
  }
}
