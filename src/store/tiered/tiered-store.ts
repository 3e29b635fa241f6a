import type { CacheStore, ElementFilter, ExclusiveOutcome, Lease, NearestCandidate, NewElement, SourceAdopter, StoredThresholds, StoreSummary } from '../../core/ports/cache-store.js'
import { AsteriaError } from '../../core/errors.js'
import type { CacheBudget, PruneReport } from '../../core/eviction.js'
import type { PolicyStoreProvider, PolicyStores } from '../../core/ports/policy-stores.js'
import { runExclusive } from '../../core/ports/leases.js'
import type { SemanticElement } from '../../core/semantic-element.js'
import { PostgresSessionLog } from '../postgres/postgres-session-log.js'
import type { PostgresStore } from '../postgres/postgres-store.js'
import type { SqliteStore } from '../sqlite/sqlite-store.js'
import { OFFLINE, SharedTierAvailability } from './availability.js'
import { TierLedger } from './ledger.js'
import { TieredSessionLog } from './tiered-session-log.js'
import { SharedEviction, type SharedEvictionOptions } from './tiered-eviction.js'
import { tieredPolicyStores } from './tiered-policy-stores.js'
import { catchUp, copyToHotTier, writeThrough, type SharedCall, type SyncReport } from './sync.js'

export interface TieredStoreOptions {
  /**
   * Told once per process when the shared tier becomes unreachable, and when a session is kept in the
   * local file for want of it or uploaded later (the CLI prints these to stderr).
   */
  onWarning?: (message: string) => void
  /** A shared-tier call slower than this counts as an outage, ms (default 2000). */
  timeoutMs?: number
  /** The same for calls that first connect and migrate the shared tier, ms (default 10000). */
  firstContactTimeoutMs?: number
  /** After an outage, calls stay local this long before the shared tier is tried again, ms (default 5000). */
  retryAfterMs?: number
  /**
   * A local candidate at least this similar answers without asking the shared tier; shared
   * candidates are copied to the local tier from 0.1 below it (default 0.75, the guard's tau_sim).
   */
  hotSimilarity?: number
  /** The shared tier's budget and how often each machine tries to prune it (tiered-eviction.ts). */
  sharedEviction?: SharedEvictionOptions
}

const COPY_MARGIN = 0.1

/**
 * Two tiers behind one CacheStore: this machine's SQLite file (hot tier) and a PostgreSQL
 * shared by every machine. Look-ups try the local tier, then the shared one, copying what it
 * answers (with its expiry) into the local tier; new elements are written through. Ids are the
 * local tier's. While the shared tier is away, everything runs locally and writes queue up in
 * the local file until a catch-up delivers them.
 */
export class TieredStore implements CacheStore, PolicyStoreProvider {
  readonly location: string
  private readonly ledger: TierLedger
  private readonly availability: SharedTierAvailability
  private readonly hotSimilarity: number
  private readonly firstContactTimeoutMs: number
  private syncing: Promise<SyncReport> | undefined
  private policies: PolicyStores | undefined
  private readonly sessions: TieredSessionLog
  private readonly backgroundWork = new Set<Promise<unknown>>()
  private readonly writingThrough = new Set<number>()
  private readonly sharedEviction: SharedEviction

  constructor(
    readonly local: SqliteStore,
    readonly shared: PostgresStore,
    options: TieredStoreOptions = {},
  ) {
    this.location = `${local.location} (hot tier) + ${shared.location} (shared tier)`
    this.ledger = new TierLedger(local.db)
    this.hotSimilarity = options.hotSimilarity ?? 0.75
    this.firstContactTimeoutMs = options.firstContactTimeoutMs ?? 10_000
    this.availability = new SharedTierAvailability({
      timeoutMs: options.timeoutMs ?? 2000,
      retryAfterMs: options.retryAfterMs ?? 5000,
      onWarning: options.onWarning,
      sharedLocation: shared.location,
      localLocation: local.location,
    })
    this.sessions = new TieredSessionLog({
      call: this.call, local, shared: new PostgresSessionLog(shared.db), background: (work) => this.background(work), onNotice: options.onWarning,
    })
    this.sharedEviction = new SharedEviction((name, ttlMs, fn) => this.withExclusive(name, ttlMs, fn), shared, options.sharedEviction)
  }

  /** Every shared-tier call goes through here; the first success after an outage starts a catch-up. */
  private readonly call: SharedCall = async (op, force) => {
    const wasOnline = this.availability.online
    const timeoutMs = this.shared.db.isReady ? undefined : this.firstContactTimeoutMs
    const value = await this.availability.call(() => op(this.shared), force, timeoutMs)
    if (value !== OFFLINE && !wasOnline && !this.syncing) this.background(this.syncNow())
    return value
  }

  /** Shared-tier work that no caller waits for (hit and counter updates), so local hits pay no round trip. */
  private background(work: Promise<unknown>): void {
    const settled: Promise<unknown> = work.catch(() => undefined).finally(() => this.backgroundWork.delete(settled))
    this.backgroundWork.add(settled)
  }

  /** Resolves when the background work started so far (updates, a catch-up) has reached the shared tier or given up. */
  async settled(): Promise<void> {
    await Promise.all([...this.backgroundWork])
  }

  /** Eviction of the hot tier; the prefetch model and calibration in the shared tier (see tiered-policy-stores.ts). */
  policyStores(): PolicyStores {
    this.policies ??= tieredPolicyStores(this.call, this.local, this.shared, async (now) => {
      if (this.availability.online && this.sharedEviction.due(now)) this.background(this.sharedEviction.pruneWhenRested(now))
    })
    return this.policies
  }

  /**
   * Drops the shared tier's expired elements, then evicts by policy down to `budget` (default: the
   * configured shared budget). One machine at a time: `{ ran: false }` while another one prunes.
   */
  pruneShared(now: number, budget?: CacheBudget): Promise<ExclusiveOutcome<PruneReport>> {
    return this.sharedEviction.prune(now, budget)
  }

  /** Sessions in the shared tier, journaled in the local file until it acknowledges them (tiered-session-log.ts). */
  sessionLog(): TieredSessionLog {
    return this.sessions
  }

  get sharedOnline(): boolean {
    return this.availability.online
  }

  /** Elements stored here that the shared tier has not received yet. */
  pendingWrites(): number {
    return this.ledger.pendingCount()
  }

  /** Tries the shared tier now (even while resting after an outage) and delivers what is queued. */
  syncNow(): Promise<SyncReport> {
    this.syncing ??= catchUp(this.call, this.local, this.ledger, this.writingThrough)
      .then(async (report) => {
        if (report.online) await this.sessions.deliver()
        return report
      })
      .finally(() => (this.syncing = undefined))
    return this.syncing
  }

  async registerEmbedder(info: { fingerprint: string; model: string; dimensions: number }): Promise<void> {
    await this.local.registerEmbedder(info)
    await this.call((shared) => shared.registerEmbedder(info))
    if (this.ledger.pendingCount() > 0 && this.availability.online && !this.syncing) this.background(this.syncNow())
  }

  async insert(items: { element: NewElement; embedding: Float32Array }[]): Promise<SemanticElement[]> {
    const stored = await this.local.insert(items)
    // Queued before the write-through, so an element is never acknowledged without a way to the shared tier.
    this.ledger.enqueue(stored.map((e) => e.id), Date.now())
    stored.forEach((e) => this.writingThrough.add(e.id))
    try {
      await writeThrough(this.call, this.ledger, stored)
    } finally {
      stored.forEach((e) => this.writingThrough.delete(e.id))
    }
    return stored
  }

  async findExact(scopeKey: string, normalizedQuery: string, now: number): Promise<SemanticElement | undefined> {
    const hot = await this.local.findExact(scopeKey, normalizedQuery, now)
    if (hot) return hot
    const found = await this.call((shared) => shared.findExact(scopeKey, normalizedQuery, now))
    if (found === OFFLINE || !found) return undefined
    return (await copyToHotTier(this.call, this.local, this.ledger, [found])).get(found.id)
  }

  async nearest(embedder: string, scopeKey: string, embedding: Float32Array, k: number, now: number): Promise<NearestCandidate[]> {
    const hot = await this.local.nearest(embedder, scopeKey, embedding, k, now)
    if (hot[0] && hot[0].similarity >= this.hotSimilarity) return hot
    const remote = await this.call((shared) => shared.nearest(embedder, scopeKey, embedding, k, now))
    if (remote === OFFLINE) return hot
    const copyable = remote.filter((c) => c.similarity >= this.hotSimilarity - COPY_MARGIN).map((c) => c.element)
    const copies = await copyToHotTier(this.call, this.local, this.ledger, copyable)
    const merged = new Map(hot.map((c) => [c.element.id, c]))
    for (const { element, similarity } of remote) {
      const copy = copies.get(element.id)
      if (copy) merged.set(copy.id, { element: copy, similarity })
    }
    return [...merged.values()].sort((a, b) => b.similarity - a.similarity).slice(0, k)
  }

  get(id: number): Promise<SemanticElement | undefined> {
    return this.local.get(id)
  }

  getEmbedding(id: number): Promise<Float32Array | undefined> {
    return this.local.getEmbedding(id)
  }

  async recordHit(id: number, now: number): Promise<void> {
    await this.local.recordHit(id, now)
    const sharedId = this.ledger.sharedIds([id]).get(id)
    if (sharedId !== undefined) this.background(this.call((shared) => shared.recordHit(sharedId, now)))
  }

  /** Deletes here and in the shared tier; a deletion the shared tier missed is replayed by the catch-up. */
  async delete(ids: number[]): Promise<number> {
    const sharedIds = [...this.ledger.sharedIds(ids).values()]
    const deleted = await this.local.delete(ids)
    if (sharedIds.length > 0 && (await this.call((shared) => shared.delete(sharedIds))) === OFFLINE) this.ledger.tombstone(sharedIds, Date.now())
    return deleted
  }

  /** This machine's elements (ids are local; `cache show/delete` take them). */
  list(filter: ElementFilter): Promise<SemanticElement[]> {
    return this.local.list(filter)
  }

  all(namespace?: string): Promise<SemanticElement[]> {
    return this.local.all(namespace)
  }

  /** Clears the shared tier first: refused, with nothing cleared, while it is unreachable. */
  async clear(namespace?: string): Promise<number> {
    const cleared = await this.call((shared) => shared.clear(namespace), true)
    if (cleared === OFFLINE) {
      throw new AsteriaError('STORE', `The shared cache at ${this.shared.location} is unreachable, so nothing was cleared.`, {
        suggestions: ['Run `asteria doctor` to check the connection, then clear again.'],
      })
    }
    return Math.max(cleared, await this.local.clear(namespace))
  }

  async addCounters(namespace: string, deltas: Record<string, number>): Promise<void> {
    await this.local.addCounters(namespace, deltas)
    this.background(
      this.call((shared) => shared.addCounters(namespace, deltas)).then((sent) => {
        if (sent === OFFLINE) this.ledger.addCounterDeltas(namespace, deltas)
      }),
    )
  }

  /** Every machine's counts while the shared tier answers; this machine's otherwise. */
  async counters(namespace?: string): Promise<Record<string, number>> {
    const shared = await this.call((s) => s.counters(namespace))
    return shared === OFFLINE ? this.local.counters(namespace) : shared
  }

  async summary(now: number, namespace?: string): Promise<StoreSummary> {
    const shared = await this.call((s) => s.summary(now, namespace))
    return shared === OFFLINE ? this.local.summary(now, namespace) : shared
  }

  /**
   * Each tier adopts its own elements (their ids differ); the shared tier's in the background, so
   * that a large upgraded tier never holds up a look-up (one machine moves each element).
   */
  async adoptUnrecordedSources(adopt: SourceAdopter): Promise<number> {
    this.background(this.call((shared) => shared.adoptUnrecordedSources(adopt)))
    return this.local.adoptUnrecordedSources(adopt)
  }

  async getThresholds(embedder: string, policy: string): Promise<StoredThresholds | undefined> {
    const shared = await this.call((s) => s.getThresholds(embedder, policy))
    return (shared === OFFLINE ? undefined : shared) ?? this.local.getThresholds(embedder, policy)
  }

  async setThresholds(embedder: string, policy: string, thresholds: StoredThresholds): Promise<void> {
    await this.local.setThresholds(embedder, policy, thresholds)
    await this.call((shared) => shared.setThresholds(embedder, policy, thresholds))
  }

  /** Claims across machines while the shared tier answers; across this machine's processes otherwise. */
  async acquireLease(scopeKey: string, normalizedQuery: string, ttlMs: number): Promise<Lease | null> {
    const lease = await this.call((shared) => shared.acquireLease(scopeKey, normalizedQuery, ttlMs))
    return lease === OFFLINE ? this.local.acquireLease(scopeKey, normalizedQuery, ttlMs) : lease && this.guarded(lease)
  }

  async withExclusive<T>(name: string, ttlMs: number, fn: () => Promise<T>): Promise<ExclusiveOutcome<T>> {
    const lease = await this.call((shared) => shared.claimExclusive(name, ttlMs))
    return lease === OFFLINE ? this.local.withExclusive(name, ttlMs, fn) : runExclusive(lease && this.guarded(lease), ttlMs, fn)
  }

  /** A shared lease whose renewals and release obey the timeout: an outage only lets the claim lapse. */
  private guarded(lease: Lease): Lease {
    return {
      renew: async (ms) => (await this.call(() => lease.renew(ms))) === true,
      release: async () => void (await this.call(() => lease.release())),
    }
  }

  async close(): Promise<void> {
    await this.syncing?.catch(() => undefined)
    await this.settled()
    await this.shared.close()
    await this.local.close()
  }
}
