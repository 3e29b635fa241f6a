import { setTimeout as delay } from 'node:timers/promises'
import type { DecisionRecord, Thresholds } from '../decision.js'
import { emptyTimings } from '../decision.js'
import { checkGuard } from '../guard/guard.js'
import { normalizeQuery } from '../normalize.js'
import type { CacheStore, Lease } from '../ports/cache-store.js'
import { MAX_RESULT_BYTES, validateQuery } from '../query-limits.js'
import { scopeKey, type Scope } from '../scope.js'
import { resultSizeBytes, type ElementInput, type SemanticElement } from '../semantic-element.js'
import { cosineSimilarity } from '../util/vectors.js'
import type { ServedRequest } from './cache-policies.js'
import type { CacheContext } from './cache-context.js'
import type { CacheOptions } from './cache-options.js'
import { countServed } from './counters.js'
import { callLoader, isEmptyResult, type Loader } from './loader.js'
import type { CacheLookup } from './lookup.js'
import type { FetchOptions, FetchResult, RequestOptions } from './requests.js'
import { isSideEffectTool } from './store-element.js'

// The miss path of fetch-through: a request that no stored element answers joins an equivalent call
// already in flight in this process, or waits for another process's (the store's leases), or leads.

/**
 * Concurrent misses for the same question share one remote call. Entries are matched by an
 * exact key first, then by a caller-supplied equivalence test (the cache's hit rule), so a
 * paraphrase arriving while the first call is in flight waits for it instead of calling again.
 */
export interface InFlight<T, M> {
  key: string
  meta: M
  promise: Promise<T>
}

export class SingleFlight<T, M> {
  private readonly flights = new Map<string, InFlight<T, M>[]>()

  /** An in-flight call in `group` whose key matches, or whose meta passes `equivalent`. */
  find(group: string, key: string, equivalent?: (meta: M) => boolean): InFlight<T, M> | undefined {
    const list = this.flights.get(group) ?? []
    return list.find((f) => f.key === key) ?? (equivalent ? list.find((f) => equivalent(f.meta)) : undefined)
  }

  /** Starts `work` as the call others may join; it leaves the registry when it settles. */
  start(group: string, key: string, meta: M, work: () => Promise<T>): Promise<T> {
    const list = this.flights.get(group) ?? []
    const promise = work().finally(() => {
      const remaining = (this.flights.get(group) ?? []).filter((f) => f.promise !== promise)
      if (remaining.length === 0) this.flights.delete(group)
      else this.flights.set(group, remaining)
    })
    list.push({ key, meta, promise })
    this.flights.set(group, list)
    return promise
  }

  get size(): number {
    let n = 0
    for (const list of this.flights.values()) n += list.length
    return n
  }
}

/**
 * Single flight across processes and machines sharing a store: before a miss calls the
 * source, the process claims the question; one claimant leads (calls the source), the others
 * wait for the element it stores. In-process single flight (SingleFlight, above) runs first.
 */
export type FlightClaim = { kind: 'lead'; lease?: Lease } | { kind: 'peer'; element: SemanticElement }

export interface PeerFlightOptions {
  /** How long a claim lasts if its holder dies without releasing it, ms. */
  leaseMs: number
  /** How long a waiting process waits for the leader before calling the source itself, ms. */
  waitMs: number
  now: () => number
  /** Elements stored before this time do not answer (a request's max-age). */
  notBefore?: number
}

export const PEER_FLIGHT_DEFAULTS = { leaseMs: 60_000, waitMs: 10_000 }


/**
 * Leads when the claim is free; otherwise polls until the leader's element is stored, the claim
 * frees up (the leader stored nothing, or died), or `waitMs` passes — then leads without a claim.
 */
export async function claimFlight(store: CacheStore, scopeKey: string, normalizedQuery: string, options: PeerFlightOptions): Promise<FlightClaim> {
  if (!store.acquireLease) return { kind: 'lead' }
  const deadline = performance.now() + options.waitMs
  let pause = 20
  for (;;) {
    const lease = await store.acquireLease(scopeKey, normalizedQuery, options.leaseMs)
    // Checked after claiming too: a leader may have stored and released since this process missed.
    const stored = await store.findExact(scopeKey, normalizedQuery, options.now())
    if (stored && stored.createdAt >= (options.notBefore ?? -Infinity)) {
      await lease?.release()
      return { kind: 'peer', element: stored }
    }
    if (lease) return { kind: 'lead', lease }
    if (performance.now() >= deadline) return { kind: 'lead' }
    await delay(pause)
    pause = Math.min(pause * 2, 250)
  }
}

/** What the miss path needs of its cache. */
export interface FetchHost {
  readonly ctx: CacheContext
  readonly options: CacheOptions
  readonly lookup: CacheLookup
  scope(request: RequestOptions): Scope
  store(input: ElementInput, embedding: Float32Array | undefined, origin: SemanticElement['origin']): Promise<SemanticElement>
  deleteExact(key: string, normalized: string): Promise<number>
  served(request: ServedRequest): Promise<void>
}

interface FlightMeta {
  query: string
  embedding: Float32Array | null
}

interface FlightOutcome {
  result: unknown
  element: SemanticElement | null
  /** Stored by another process that fetched the same question at the same time. */
  fromPeer?: boolean
}

/**
 * Serves a stored answer when one answers the question, else calls the loader once for all
 * concurrent equivalent requests (in this process and, through the store's leases, in others)
 * and stores its result unless it failed or must not be cached.
 */
export class FetchThrough {
  private readonly flights = new SingleFlight<FlightOutcome, FlightMeta>()

  constructor(private readonly host: FetchHost) {}

  async fetch(query: string, loader: Loader, options: FetchOptions = {}): Promise<FetchResult> {
    const { ctx } = this.host
    const text = validateQuery(query)
    const scope = this.host.scope(options)
    const thresholds = await ctx.thresholds()
    if (options.noCache || isSideEffectTool(this.host.options, scope.tool)) {
      const reason = options.noCache ? 'cache bypassed (--no-cache)' : `tool "${scope.tool}" has side effects: never cached`
      const decision = this.bareDecision('bypass', reason, thresholds)
      options.onDecision?.(decision, 'remote')
      const call = await callLoader(loader, ctx.clock)
      await ctx.store.addCounters(scope.namespace, { requests: 1, bypassed: 1, remote_calls: 1, cost_spent_usd: call.costUsd })
      return { result: call.result, source: 'remote', decision, element: null, latencyMs: call.latencyMs, costUsd: call.costUsd }
    }
    await ctx.ready()
    const key = scopeKey(scope)
    const normalized = normalizeQuery(text)
    let decision: DecisionRecord
    let embedding: Float32Array | null = null
    if (options.refresh) {
      decision = this.bareDecision('miss', 'refresh requested: fetching and replacing the stored element', thresholds)
    } else {
      const found = await this.host.lookup.run(text, key, options.maxAgeMs)
      decision = found.decision
      embedding = found.embedding
      if (found.element) {
        options.onDecision?.(decision, 'cache')
        await ctx.store.recordHit(found.element.id, ctx.clock.now())
        await countServed(ctx.store, scope.namespace, decision, found.element)
        await this.host.served({ query: text, scope, session: options.session, decision, element: found.element })
        return { result: found.element.result, source: 'cache', decision, element: found.element, latencyMs: 0, costUsd: 0 }
      }
    }

    const joined = options.refresh ? undefined : this.flights.find(key, normalized, (meta) => this.equivalentInFlight(text, embedding, meta, thresholds))
    if (joined) {
      decision = { ...decision, reason: `coalesced with an identical request already in flight (${decision.reason})` }
      options.onDecision?.(decision, 'coalesced')
      const outcome = await joined.promise
      await ctx.store.addCounters(scope.namespace, { requests: 1, coalesced: 1 })
      await this.host.served({ query: text, scope, session: options.session, decision, element: outcome.element })
      return { result: outcome.result, source: 'coalesced', decision, element: outcome.element, latencyMs: 0, costUsd: 0 }
    }

    let paid = { latencyMs: 0, costUsd: 0 }
    options.onDecision?.(decision, 'remote')
    const outcome = await this.flights.start(key, normalized, { query: text, embedding }, () => this.acrossProcesses(key, normalized, options, async () => {
      const call = await callLoader(loader, ctx.clock)
      paid = call
      if (resultSizeBytes(call.result) > MAX_RESULT_BYTES) {
        await ctx.store.addCounters(scope.namespace, { not_cached_too_large: 1 })
        return { result: call.result, element: null }
      }
      if (call.cacheable === false || isEmptyResult(call.result)) {
        await ctx.store.addCounters(scope.namespace, { not_cached_empty: 1 })
        return { result: call.result, element: null }
      }
      if (options.refresh) {
        await this.host.deleteExact(key, normalized)
      }
      const element = await this.host.store(
        { query: text, tool: scope.tool, args: scope.args, namespace: scope.namespace, result: call.result, latencyMs: call.latencyMs, costUsd: call.costUsd },
        embedding ?? undefined,
        'miss',
      )
      return { result: call.result, element }
    }))
    if (outcome.fromPeer) {
      await ctx.store.addCounters(scope.namespace, { requests: 1, coalesced: 1 })
      await this.host.served({ query: text, scope, session: options.session, decision, element: outcome.element })
      decision = { ...decision, reason: `coalesced with the same question fetched by another process (${decision.reason})` }
      return { result: outcome.result, source: 'coalesced', decision, element: outcome.element, latencyMs: 0, costUsd: 0 }
    }
    await countServed(ctx.store, scope.namespace, decision, null, paid)
    await this.host.served({ query: text, scope, session: options.session, decision, element: outcome.element })
    return { result: outcome.result, source: 'remote', decision, element: outcome.element, ...paid }
  }

  /** Single flight across processes sharing the store: leads (runs `work` under a claim) or serves what another process stored. */
  private async acrossProcesses(key: string, normalized: string, options: FetchOptions, work: () => Promise<FlightOutcome>): Promise<FlightOutcome> {
    const { clock, store } = this.host.ctx
    const notBefore = options.maxAgeMs === undefined ? undefined : clock.now() - options.maxAgeMs
    const claim = options.refresh ? undefined : await claimFlight(store, key, normalized, { ...PEER_FLIGHT_DEFAULTS, now: () => clock.now(), notBefore })
    if (claim?.kind === 'peer') return { result: claim.element.result, element: claim.element, fromPeer: true }
    try {
      return await work()
    } finally {
      // A failed release only lets the claim lapse at its expiry.
      await claim?.lease?.release().catch(() => {})
    }
  }

  private equivalentInFlight(text: string, embedding: Float32Array | null, meta: FlightMeta, thresholds: Thresholds): boolean {
    const { policy } = this.host.ctx
    // Without a model judge the in-flight check is the same rule a stored element would face.
    if (policy.judge || !embedding || !meta.embedding) return false
    if (cosineSimilarity(embedding, meta.embedding) < thresholds.tauSim) return false
    return !policy.useGuard || checkGuard(text, meta.query, this.host.options.guard).pass
  }

  private bareDecision(kind: 'bypass' | 'miss', reason: string, thresholds: Thresholds): DecisionRecord {
    return {
      hit: false, kind, elementId: null, similarity: null, guard: null, judge: null,
      policy: this.host.ctx.policy.name, thresholds, timings: emptyTimings(), candidates: [], reason,
    }
  }
}
