import { Flags } from '@oclif/core'
import type { BudgetConfig } from '../../config/budget-config.js'
import { resolveBudgetConfig } from '../../config/budget-config.js'
import type { CacheBudget } from '../../core/eviction.js'

/** `asteria cache prune`: its help and flags, and the budget they stand for. */
export const PRUNE_SUMMARY = 'Evict expired elements, then the least valuable ones until the cache fits its budget.'

export const PRUNE_DESCRIPTION =
  'Expired elements always go. With a byte or entry budget (flags, or ASTERIA_MAX_BYTES / ASTERIA_MAX_ENTRIES), elements are then ' +
  'evicted by policy until the cache fits: lcfu (default: keeps what is costly, slow and stable to fetch again, per byte), lru or lfu. ' +
  'Each eviction removes the element and its vector together and is logged with its reason. With --shared, the shared PostgreSQL tier ' +
  '(--store) is pruned instead, to the flags\' budget or ASTERIA_SHARED_MAX_BYTES / ASTERIA_SHARED_MAX_ENTRIES; one machine at a time ' +
  '(exit 0 with "ran": false when another machine is pruning it). Machines also prune it in the background about once a minute.'

export const PRUNE_EXAMPLES = [
  '<%= config.bin %> <%= command.id %>',
  '<%= config.bin %> <%= command.id %> --max-entries 1000',
  '<%= config.bin %> <%= command.id %> --max-bytes 50MB --policy lru --json',
  '<%= config.bin %> <%= command.id %> --namespace team-a --max-entries 200',
  '<%= config.bin %> <%= command.id %> --shared --store postgres://asteria@db.internal/cache --max-bytes 5GB',
]

export const PRUNE_FLAGS = {
  'max-bytes': Flags.string({ description: 'Keep at most this many bytes of results: 500000, 64KB, 10MB, 1GB (env ASTERIA_MAX_BYTES).' }),
  'max-entries': Flags.string({ description: 'Keep at most this many elements (env ASTERIA_MAX_ENTRIES).' }),
  policy: Flags.string({ description: 'Which elements go once the expired ones are gone (env ASTERIA_EVICTION_POLICY; default lcfu).', options: ['lcfu', 'lru', 'lfu'] }),
  shared: Flags.boolean({ description: 'Prune the shared PostgreSQL tier (needs --store or ASTERIA_STORE_URL) instead of this machine\'s cache.' }),
}

/** The budget flags as typed (undefined when not given). */
export function typedBudget(flags: { 'max-bytes'?: string; 'max-entries'?: string; policy?: string }) {
  return { maxBytes: flags['max-bytes'], maxEntries: flags['max-entries'], evictionPolicy: flags.policy }
}

/** This machine's budget: the typed flags over ASTERIA_MAX_BYTES / ASTERIA_MAX_ENTRIES / ASTERIA_EVICTION_POLICY. */
export function localBudget(budget: BudgetConfig, namespace: string | undefined): CacheBudget {
  return { maxBytes: budget.maxBytes, maxEntries: budget.maxEntries, policy: budget.evictionPolicy, namespace }
}

/**
 * The shared tier's budget: only typed limits override the shared ones (ASTERIA_MAX_* is this
 * machine's budget, not the team's); the policy is this machine's.
 */
export function sharedBudget(typed: ReturnType<typeof typedBudget>, budget: BudgetConfig, shared: Pick<BudgetConfig, 'sharedMaxBytes' | 'sharedMaxEntries'>, namespace: string | undefined): CacheBudget {
  const typedOnly = resolveBudgetConfig(typed, {})
  return { maxBytes: typedOnly.maxBytes ?? shared.sharedMaxBytes, maxEntries: typedOnly.maxEntries ?? shared.sharedMaxEntries, policy: budget.evictionPolicy, namespace }
}
