import { createHash } from 'node:crypto'
import type { LoaderResult } from './cache/loader.js'
import type { SemanticElement } from './semantic-element.js'

/**
 * A state of the Markov model: one cached element, named by its scope and normalised query so
 * that it survives eviction and re-fetching (the cache's own elements stand for intents).
 */
export interface PrefetchTarget {
  key: string
  namespace: string
  tool: string
  args: Record<string, unknown>
  scopeKey: string
  query: string
  normalizedQuery: string
  /** Price of the last call that produced it, USD: what prefetching it is expected to cost. */
  costUsd: number
}

export interface Successor {
  target: PrefetchTarget
  count: number
  /** P(next = target | current), from transition counts. */
  probability: number
}

/** Transition counts of the first-order model, kept in the cache's store so they survive restarts. */
export interface TransitionStore {
  /** Records `to` as needed next after `from` in one session (`from` null: nothing to count, just remember `to`). */
  observe(from: string | null, to: PrefetchTarget, now: number): Promise<void>
  /** The most frequent successors of a state, most likely first, and how many transitions left it. */
  successors(from: string, limit: number): Promise<{ total: number; successors: Successor[] }>
}

/** Fetches a target's query from the source of its tool; the cache knows the query, tool and arguments. */
export type PrefetchLoader = (target: PrefetchTarget, signal?: AbortSignal) => Promise<LoaderResult>

export interface PrefetchOptions {
  /** Off unless true: every prefetch is a real, possibly paid, remote call. The model learns either way. */
  enabled?: boolean
  loader?: PrefetchLoader
  /** Minimum P(next | current); default 0.5. */
  threshold?: number
  /** Transitions seen out of the current element before its successors are trusted; default 3. */
  minObservations?: number
  /** Default 10. */
  maxPerMinute?: number
  /** Default $0.05. */
  maxCostPerHourUsd?: number
  /** Sessions whose current element is remembered; default 10,000 (least recent forgotten). */
  maxSessions?: number
  /** A prefetched element is not evicted before its first hit or this long after it was stored; default 60 s. */
  protectForMs?: number
}

export const PREFETCH_DEFAULTS = { threshold: 0.5, minObservations: 3, maxPerMinute: 10, maxCostPerHourUsd: 0.05, maxSessions: 10_000, protectForMs: 60_000 }

export function stateKey(scopeKey: string, normalizedQuery: string): string {
  return createHash('sha256').update(scopeKey).update('\n').update(normalizedQuery).digest('hex').slice(0, 32)
}

export function targetOf(element: SemanticElement): PrefetchTarget {
  return {
    key: stateKey(element.scopeKey, element.normalizedQuery),
    namespace: element.namespace,
    tool: element.tool,
    args: element.args,
    scopeKey: element.scopeKey,
    query: element.query,
    normalizedQuery: element.normalizedQuery,
    costUsd: element.costUsd,
  }
}

interface Spend {
  at: number
  costUsd: number
}

/** Sliding windows on the cache's clock: prefetches in the last minute, dollars in the last hour. */
export class PrefetchBudget {
  private spends: Spend[] = []

  constructor(
    private readonly maxPerMinute: number,
    private readonly maxCostPerHourUsd: number,
  ) {}

  /** Reserves one prefetch at its expected cost, or returns undefined when either window is full. */
  reserve(now: number, expectedCostUsd: number): Spend | undefined {
    this.spends = this.spends.filter((s) => s.at > now - 3_600_000)
    const lastMinute = this.spends.filter((s) => s.at > now - 60_000).length
    const lastHour = this.spends.reduce((sum, s) => sum + s.costUsd, 0)
    if (lastMinute >= this.maxPerMinute || lastHour + expectedCostUsd > this.maxCostPerHourUsd) return undefined
    const spend = { at: now, costUsd: expectedCostUsd }
    this.spends.push(spend)
    return spend
  }

  /** Replaces a reservation's expected cost by what the call really cost (0 when it was not made). */
  settle(spend: Spend, costUsd: number): void {
    spend.costUsd = costUsd
  }
}

/** What the prefetcher needs from the cache. */
export interface PrefetchHost {
  now(): number
  /** True when a live element already answers the target exactly. */
  isPresent(target: PrefetchTarget): Promise<boolean>
  isSideEffectTool(tool: string): boolean
  /** Stores a prefetched result with frequency 0 and origin 'prefetch' (undefined: not storable). */
  store(target: PrefetchTarget, loaded: LoaderResult): Promise<SemanticElement | undefined>
  count(namespace: string, deltas: Record<string, number>): Promise<void>
  /** Runs a job in the background at the lowest priority; false when it was dropped. */
  schedule(job: () => Promise<void>): boolean
}

/**
 * Proactive prefetching (DESIGN.md): learns P(next element | current element) per session from
 * confirmed hits and misses, and when the likely next element is missing or expired, and the
 * budget allows, fetches it in the background so the next request hits.
 */
export class Prefetcher {
  private readonly sessions = new Map<string, string>()
  private readonly inFlight = new Set<string>()
  /** Prefetched elements awaiting their first hit, and when they were stored. */
  private readonly awaitingUse = new Map<number, number>()
  private readonly budget: PrefetchBudget
  private readonly settings: typeof PREFETCH_DEFAULTS & PrefetchOptions

  constructor(
    options: PrefetchOptions,
    private readonly transitions: TransitionStore,
    private readonly host: PrefetchHost,
  ) {
    this.settings = { ...PREFETCH_DEFAULTS, ...definedOnly(options) }
    this.budget = new PrefetchBudget(this.settings.maxPerMinute, this.settings.maxCostPerHourUsd)
  }

  /** `element` answered the latest request of `session`: count the transition, then look ahead. */
  async observe(session: string, element: SemanticElement): Promise<void> {
    const target = targetOf(element)
    const sessionKey = `${element.namespace}\u0000${session}`
    const previous = this.sessions.get(sessionKey)
    this.sessions.delete(sessionKey)
    this.sessions.set(sessionKey, target.key)
    if (this.sessions.size > this.settings.maxSessions) this.sessions.delete(this.sessions.keys().next().value!)
    await this.transitions.observe(previous === undefined || previous === target.key ? null : previous, target, this.host.now())
    if (this.settings.enabled && this.settings.loader) await this.lookAhead(target)
  }

  /**
   * Prefetched elements eviction must spare: stored at most protectForMs ago and not hit yet.
   * Without this, a new element (frequency 0) is the first victim under a tight budget and a
   * prefetch is gone before the request it was made for arrives.
   */
  protectedIds(now: number): number[] {
    for (const [id, at] of this.awaitingUse) if (at <= now - this.settings.protectForMs) this.awaitingUse.delete(id)
    return [...this.awaitingUse.keys()]
  }

  /** A prefetched element served its first hit: it competes like any other element from now on. */
  used(elementId: number): void {
    this.awaitingUse.delete(elementId)
  }

  /** The session's next request answered nothing storable: its chain starts again. */
  forget(namespace: string, session: string): void {
    this.sessions.delete(`${namespace}\u0000${session}`)
  }

  private async lookAhead(current: PrefetchTarget): Promise<void> {
    const { total, successors } = await this.transitions.successors(current.key, 3)
    if (total < this.settings.minObservations) return
    for (const { target, probability } of successors) {
      if (probability < this.settings.threshold) break
      if (this.inFlight.has(target.key) || this.host.isSideEffectTool(target.tool) || (await this.host.isPresent(target))) continue
      const spend = this.budget.reserve(this.host.now(), target.costUsd)
      if (!spend) {
        await this.host.count(target.namespace, { prefetch_over_budget: 1 })
        return
      }
      this.inFlight.add(target.key)
      const queued = this.host.schedule(() => this.fetch(target, spend).finally(() => this.inFlight.delete(target.key)))
      if (!queued) {
        this.inFlight.delete(target.key)
        this.budget.settle(spend, 0)
      }
    }
  }

  private async fetch(target: PrefetchTarget, spend: Spend): Promise<void> {
    if (await this.host.isPresent(target)) {
      this.budget.settle(spend, 0)
      return
    }
    let loaded: LoaderResult
    const started = this.host.now()
    try {
      loaded = await this.settings.loader!(target)
      loaded = { ...loaded, latencyMs: loaded.latencyMs ?? this.host.now() - started }
    } catch (error) {
      await this.host.count(target.namespace, { prefetch_errors: 1 })
      throw error
    }
    const costUsd = loaded.costUsd ?? 0
    this.budget.settle(spend, costUsd)
    await this.host.count(target.namespace, { prefetches: 1, prefetch_cost_usd: costUsd, remote_calls: 1, cost_spent_usd: costUsd })
    const stored = await this.host.store(target, loaded)
    if (stored) this.awaitingUse.set(stored.id, this.host.now())
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
