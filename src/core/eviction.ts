import { AsteriaError } from './errors.js'
import type { SemanticElement } from './semantic-element.js'

export type EvictionPolicy = 'lcfu' | 'lru' | 'lfu'
export type EvictionReason = 'expired' | EvictionPolicy | 'manual'

export const EVICTION_POLICIES: readonly EvictionPolicy[] = ['lcfu', 'lru', 'lfu']
export const EVICTION_REASONS: readonly EvictionReason[] = ['expired', 'lcfu', 'lru', 'lfu', 'manual']

/** How much the cache may hold; over either limit, elements are evicted until it fits again. */
export interface CacheBudget {
  /** Bytes of stored results (the elements' `sizeBytes`). */
  maxBytes?: number
  maxEntries?: number
  /** Which elements go once the expired ones are gone; default lcfu. */
  policy?: EvictionPolicy
  /** Apply the budget to one namespace's elements only; default: the whole cache file. */
  namespace?: string
}

export interface CacheUsage {
  entries: number
  bytes: number
}

/** One evicted element, as the eviction log keeps it. */
export interface EvictionRecord {
  elementId: number
  namespace: string
  tool: string
  scopeKey: string
  query: string
  /** When the element was stored: with the id, names it even if SQLite reuses the id later. */
  createdAt: number
  reason: EvictionReason
  evictedAt: number
}

export interface EvictionRequest {
  budget: CacheBudget
  now: number
  /** Elements that must stay (the one just stored). */
  protect?: number[]
}

/**
 * The store side of eviction. Implementations keep each element's static LCFU value in an
 * indexed column (updated on insert and hit), so choosing a victim is an index read, and
 * remove the vector, the element and write the log line in one transaction.
 */
export interface EvictionStore {
  usage(namespace?: string): Promise<CacheUsage>
  /** Evicts expired elements first, then by policy, until the budget holds (or nothing evictable is left). */
  evictOverBudget(request: EvictionRequest): Promise<EvictionRecord[]>
  /** Evicts every expired element (of one namespace, or all). */
  evictExpired(now: number, namespace?: string): Promise<EvictionRecord[]>
  /** Evicts these elements for a reason given by the caller (feedback, an operator). */
  evict(ids: number[], reason: EvictionReason, now: number): Promise<EvictionRecord[]>
  /** The most recent evictions, newest first. */
  log(options?: { limit?: number; namespace?: string }): Promise<EvictionRecord[]>
}

/**
 * The paper's LCFU value with freq+2 (DESIGN.md): what an element saves per byte it occupies.
 * Cheap, fast, short-lived or large elements score low and go first. The SQLite store computes
 * the same expression in a generated column; this is the reference the tests hold it to.
 */
export function lcfuScore(e: Pick<SemanticElement, 'frequency' | 'costUsd' | 'latencyMs' | 'staticity' | 'sizeBytes'>): number {
  return (
    (Math.log(e.frequency + 2) * Math.log(e.costUsd * 1e3 + 1) * Math.log(e.latencyMs / 1000 + 1) * Math.log(e.staticity + 1)) /
    Math.max(e.sizeBytes, 1)
  )
}

export function isOverBudget(usage: CacheUsage, budget: CacheBudget): boolean {
  return (budget.maxEntries !== undefined && usage.entries > budget.maxEntries) || (budget.maxBytes !== undefined && usage.bytes > budget.maxBytes)
}

/** Checks a budget given by a user or a caller; returns it with the policy filled in. */
export function checkBudget(budget: CacheBudget): Required<Pick<CacheBudget, 'policy'>> & CacheBudget {
  for (const key of ['maxBytes', 'maxEntries'] as const) {
    const value = budget[key]
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new AsteriaError('BAD_INPUT', `Expected ${key} to be a whole number of at least 1, received ${value}.`, {
        suggestions: ['Leave it unset for no limit.'],
      })
    }
  }
  const policy = budget.policy ?? 'lcfu'
  if (!EVICTION_POLICIES.includes(policy)) {
    throw new AsteriaError('BAD_INPUT', `Expected the eviction policy to be one of ${EVICTION_POLICIES.join(', ')}, received "${policy}".`)
  }
  return { ...budget, policy }
}

export function hasLimit(budget: CacheBudget | undefined): budget is CacheBudget {
  return budget?.maxBytes !== undefined || budget?.maxEntries !== undefined
}

export interface PruneReport {
  before: CacheUsage
  after: CacheUsage
  evicted: EvictionRecord[]
  byReason: Record<EvictionReason, number>
}

export async function pruneElements(store: EvictionStore, budget: CacheBudget, now: number): Promise<PruneReport> {
  const checked = checkBudget(budget)
  const before = await store.usage(checked.namespace)
  const evicted = await store.evictExpired(now, checked.namespace)
  if (hasLimit(checked)) evicted.push(...(await store.evictOverBudget({ budget: checked, now })))
  return { before, after: await store.usage(checked.namespace), evicted, byReason: countByReason(evicted) }
}

export function countByReason(records: EvictionRecord[]): Record<EvictionReason, number> {
  const counts = Object.fromEntries(EVICTION_REASONS.map((r) => [r, 0])) as Record<EvictionReason, number>
  for (const record of records) counts[record.reason]++
  return counts
}
