import type { EvictionReason, EvictionRecord } from '../core/eviction.js'

/** A line of the eviction log as both stores keep it (the `evictions` table). */
export interface EvictionLogRow {
  element_id: number
  namespace: string
  tool: string
  scope_key: string
  query: string
  created_at: number
  reason: EvictionReason
  evicted_at: number
}

export function toEvictionRecord(r: EvictionLogRow): EvictionRecord {
  return {
    elementId: r.element_id,
    namespace: r.namespace,
    tool: r.tool,
    scopeKey: r.scope_key,
    query: r.query,
    createdAt: r.created_at,
    reason: r.reason,
    evictedAt: r.evicted_at,
  }
}
