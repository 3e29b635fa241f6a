import type { NewElement } from '../core/ports/cache-store.js'
import type { SemanticElement } from '../core/semantic-element.js'

/** A row of the `elements` table, as SQLite returns it. */
export interface ElementRow {
  id: number
  namespace: string
  tool: string
  args_json: string
  scope_key: string
  source: string
  embedder: string
  query: string
  normalized_query: string
  result_json: string
  latency_ms: number
  cost_usd: number
  staticity: number
  frequency: number
  size_bytes: number
  created_at: number
  last_access_at: number
  expires_at: number
  origin: SemanticElement['origin']
}

/** The columns of ElementRow: `SELECT *` would also compute the generated lcfu_value. */
export const ELEMENT_COLUMNS =
  'id, namespace, tool, args_json, scope_key, source, embedder, query, normalized_query, result_json, latency_ms, cost_usd, staticity, frequency, size_bytes, created_at, last_access_at, expires_at, origin'

export function rowToElement(row: ElementRow): SemanticElement {
  return {
    id: row.id,
    query: row.query,
    normalizedQuery: row.normalized_query,
    namespace: row.namespace,
    tool: row.tool,
    args: JSON.parse(row.args_json) as Record<string, unknown>,
    scopeKey: row.scope_key,
    source: row.source,
    embedder: row.embedder,
    result: JSON.parse(row.result_json) as unknown,
    latencyMs: row.latency_ms,
    costUsd: row.cost_usd,
    staticity: row.staticity,
    frequency: row.frequency,
    sizeBytes: row.size_bytes,
    createdAt: row.created_at,
    lastAccessAt: row.last_access_at,
    expiresAt: row.expires_at,
    origin: row.origin,
  }
}

/**
 * Stores an element row. The id is past every id ever used (element_id_floor keeps the highest
 * deleted one): an id in an old decision record or eviction log never names a newer element.
 */
export const INSERT_ELEMENT_SQL = `INSERT INTO elements (id, namespace, tool, args_json, scope_key, source, embedder, query,
  normalized_query, result_json, latency_ms, cost_usd, staticity, frequency, size_bytes, created_at, last_access_at,
  expires_at, origin) VALUES (
  max(coalesce((SELECT max(id) FROM elements), 0), coalesce((SELECT max_id FROM element_id_floor), 0)) + 1,
  @namespace, @tool, @args_json, @scope_key, @source, @embedder, @query, @normalized_query,
  @result_json, @latency_ms, @cost_usd, @staticity, @frequency, @size_bytes, @created_at, @last_access_at, @expires_at, @origin)`

/** The named parameters of INSERT_ELEMENT_SQL. */
export function elementParams(element: NewElement): Record<string, unknown> {
  return {
    namespace: element.namespace,
    tool: element.tool,
    args_json: JSON.stringify(element.args),
    scope_key: element.scopeKey,
    source: element.source,
    embedder: element.embedder,
    query: element.query,
    normalized_query: element.normalizedQuery,
    result_json: JSON.stringify(element.result),
    latency_ms: element.latencyMs,
    cost_usd: element.costUsd,
    staticity: Math.round(element.staticity),
    frequency: element.frequency,
    size_bytes: element.sizeBytes,
    created_at: Math.round(element.createdAt),
    last_access_at: Math.round(element.lastAccessAt),
    expires_at: Math.round(element.expiresAt),
    origin: element.origin,
  }
}
