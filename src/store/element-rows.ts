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
