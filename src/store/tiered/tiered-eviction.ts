import type { ExclusiveOutcome } from '../../core/ports/cache-store.js'
import { pruneElements, type CacheBudget, type PruneReport } from '../../core/eviction.js'
import { PostgresEvictionStore } from '../postgres/postgres-eviction-store.js'
import type { PostgresStore } from '../postgres/postgres-store.js'

/** The lease name under which one machine at a time prunes the shared tier. */
export const SHARED_EVICTION_JOB = 'evict-shared'
const LEASE_MS = 60_000

export interface SharedEvictionOptions {
  /** Limits of the shared tier; without one, pruning only drops expired elements. */
  budget?: CacheBudget
  /** The shared tier is pruned at most this often by all machines together, ms (default 60 s). */
  everyMs?: number
}

/**
 * Eviction of the shared tier. The hot tiers evict on their own budgets; the shared tier drops
 * expired elements and keeps its own budget, pruned by one machine at a time (a lease row) and at
 * most once per interval across machines (a rest lease): the others skip the round. Machines whose hot tier holds a copy of an evicted element keep serving
 * it until their copy expires or is evicted.
 */
export class SharedEviction {
  private lastTriedAt = -Infinity
  private readonly everyMs: number

  constructor(
    /** The tiered store's `withExclusive`: a lease in the shared tier while it answers. */
    private readonly exclusive: <T>(name: string, ttlMs: number, fn: () => Promise<T>) => Promise<ExclusiveOutcome<T>>,
    private readonly shared: PostgresStore,
    private readonly options: SharedEvictionOptions = {},
  ) {
    this.everyMs = options.everyMs ?? 60_000
  }

  /** Prunes now: expired elements, then by policy down to `budget`. `{ ran: false }` while another machine prunes. */
  prune(now: number, budget: CacheBudget = this.options.budget ?? {}): Promise<ExclusiveOutcome<PruneReport>> {
    this.lastTriedAt = now
    return this.exclusive(SHARED_EVICTION_JOB, LEASE_MS, () => pruneElements(new PostgresEvictionStore(this.shared.db), budget, now))
  }

  /**
   * The periodic pruning, run in the background after stores: skipped unless no machine has
   * started one within `everyMs` — each run leaves a rest lease of that length to lapse — so many
   * short-lived processes do not each sort the shared table.
   */
  async pruneWhenRested(now: number): Promise<ExclusiveOutcome<PruneReport>> {
    this.lastTriedAt = now
    const rest = await this.shared.claimExclusive(`${SHARED_EVICTION_JOB}:rest`, this.everyMs)
    return rest ? this.prune(now) : { ran: false }
  }

  /** Whether this process should try a periodic pruning at `now` (cache clock). */
  due(now: number): boolean {
    return now - this.lastTriedAt >= this.everyMs
  }
}
