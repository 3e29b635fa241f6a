import type Database from 'better-sqlite3'
import type { ElementFilter, StoreSummary } from '../../core/ports/cache-store.js'
import type { SemanticElement } from '../../core/semantic-element.js'
import { rowToElement, type ElementRow } from '../element-rows.js'

const SORT_SQL = { hits: 'frequency DESC, id', cost: 'cost_usd DESC, id', recent: 'last_access_at DESC, id DESC' }

/** The cache file's elements for `cache inspect`: filtered, ordered, limited. */
export function listElements(db: Database.Database, filter: ElementFilter): SemanticElement[] {
  const where: string[] = []
  const params: unknown[] = []
  if (filter.namespace !== undefined) (where.push('namespace = ?'), params.push(filter.namespace))
  if (filter.tool !== undefined) (where.push('tool = ?'), params.push(filter.tool))
  if (filter.search) (where.push("query LIKE ? ESCAPE '\\'"), params.push(`%${filter.search.replace(/[\\%_]/g, '\\$&')}%`))
  if (filter.expired === true) (where.push('expires_at <= ?'), params.push(filter.now))
  if (filter.expired === false) (where.push('expires_at > ?'), params.push(filter.now))
  const sql = `SELECT * FROM elements ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
    ORDER BY ${SORT_SQL[filter.sort ?? 'recent']} LIMIT ?`
  const rows = db.prepare(sql).all(...params, filter.limit ?? -1) as ElementRow[]
  return rows.map(rowToElement)
}

/** Counts, bytes and expired elements, per tool and per embedder, of the file or one namespace. */
export function summarizeElements(db: Database.Database, now: number, namespace?: string): StoreSummary {
  const scope = namespace === undefined ? '' : 'WHERE namespace = ?'
  const args = namespace === undefined ? [] : [namespace]
  const totals = db
    .prepare(`SELECT count(*) AS elements, coalesce(sum(size_bytes), 0) AS bytes,
      coalesce(sum(expires_at <= ?), 0) AS expired FROM elements ${scope}`)
    .get(now, ...args) as { elements: number; bytes: number; expired: number }
  const tools = db.prepare(`SELECT tool, count(*) AS n FROM elements ${scope} GROUP BY tool`).all(...args) as { tool: string; n: number }[]
  const perEmbedder = db.prepare(`SELECT embedder, count(*) AS n FROM elements ${scope} GROUP BY embedder`).all(...args) as { embedder: string; n: number }[]
  const counts = new Map(perEmbedder.map((r) => [r.embedder, r.n]))
  const embedders = (db.prepare('SELECT fingerprint, model, dimensions FROM embedders ORDER BY created_at').all() as { fingerprint: string; model: string; dimensions: number }[]).map((e) => ({
    ...e,
    elements: counts.get(e.fingerprint) ?? 0,
  }))
  return { ...totals, byTool: Object.fromEntries(tools.map((t) => [t.tool, t.n])), embedders }
}
