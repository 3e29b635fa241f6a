import { Flags } from '@oclif/core'
import { BaseCommand } from '../../cli/base-command.js'
import { resolveBudgetConfig } from '../../config/budget-config.js'
import { EVICTION_REASONS, type PruneReport } from '../../core/eviction.js'
import { pruneCache } from '../../core/admin/prune.js'
import { pruneSharedTier } from '../../store/tiered/prune-shared-tier.js'

export default class CachePrune extends BaseCommand<typeof CachePrune> {
  static override summary = 'Evict expired elements, then the least valuable ones until the cache fits its budget.'
  static override description =
    'Expired elements always go. With a byte or entry budget (flags, or ASTERIA_MAX_BYTES / ASTERIA_MAX_ENTRIES), elements are then ' +
    'evicted by policy until the cache fits: lcfu (default: keeps what is costly, slow and stable to fetch again, per byte), lru or lfu. ' +
    'Each eviction removes the element and its vector together and is logged with its reason. With --shared, the shared PostgreSQL tier ' +
    '(--store) is pruned instead, to the flags\' budget or ASTERIA_SHARED_MAX_BYTES / ASTERIA_SHARED_MAX_ENTRIES; one machine at a time ' +
    '(exit 0 with "ran": false when another machine is pruning it). Machines also prune it in the background about once a minute.'

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --max-entries 1000',
    '<%= config.bin %> <%= command.id %> --max-bytes 50MB --policy lru --json',
    '<%= config.bin %> <%= command.id %> --namespace team-a --max-entries 200',
    '<%= config.bin %> <%= command.id %> --shared --store postgres://asteria@db.internal/cache --max-bytes 5GB',
  ]

  static override flags = {
    'max-bytes': Flags.string({ description: 'Keep at most this many bytes of results: 500000, 64KB, 10MB, 1GB (env ASTERIA_MAX_BYTES).' }),
    'max-entries': Flags.string({ description: 'Keep at most this many elements (env ASTERIA_MAX_ENTRIES).' }),
    policy: Flags.string({ description: 'Which elements go once the expired ones are gone (env ASTERIA_EVICTION_POLICY; default lcfu).', options: ['lcfu', 'lru', 'lfu'] }),
    shared: Flags.boolean({ description: 'Prune the shared PostgreSQL tier (needs --store or ASTERIA_STORE_URL) instead of this machine\'s cache.' }),
  }

  async run(): Promise<unknown> {
    const typed = { maxBytes: this.flags['max-bytes'], maxEntries: this.flags['max-entries'], evictionPolicy: this.flags.policy }
    const budget = resolveBudgetConfig(typed)
    const asteria = await this.asteria()
    const { cache } = asteria
    const namespace = this.flags.namespace
    let report: PruneReport
    if (this.flags.shared) {
      const { config } = this.resolveConfig()
      // Only typed limits override the shared ones: ASTERIA_MAX_* is this machine's budget, not the team's.
      const typedOnly = resolveBudgetConfig(typed, {})
      const outcome = await pruneSharedTier(asteria.store, cache.clock.now(), {
        maxBytes: typedOnly.maxBytes ?? config.sharedMaxBytes, maxEntries: typedOnly.maxEntries ?? config.sharedMaxEntries, policy: budget.evictionPolicy, namespace,
      })
      if (!outcome.ran) {
        this.log('Another machine is pruning the shared tier right now; nothing was done here.')
        return { shared: true, ran: false }
      }
      report = outcome.value
    } else {
      report = await pruneCache(cache, { maxBytes: budget.maxBytes, maxEntries: budget.maxEntries, policy: budget.evictionPolicy, namespace }, asteria.policyStores)
    }
    const reasons = EVICTION_REASONS.filter((r) => report.byReason[r] > 0).map((r) => `${report.byReason[r]} ${r}`)
    this.log(
      `Evicted ${report.evicted.length} element${report.evicted.length === 1 ? '' : 's'}${reasons.length ? ` (${reasons.join(', ')})` : ''}: ` +
        `${report.before.entries} -> ${report.after.entries} elements, ${report.before.bytes} -> ${report.after.bytes} bytes.`,
    )
    return {
      ...(this.flags.shared ? { shared: true, ran: true } : {}),
      before: report.before,
      after: report.after,
      evicted: report.evicted.length,
      byReason: report.byReason,
      elements: report.evicted.map((e) => ({ id: e.elementId, query: e.query, tool: e.tool, namespace: e.namespace, reason: e.reason })),
    }
  }
}
