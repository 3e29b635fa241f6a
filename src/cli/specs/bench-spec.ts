import { Flags } from '@oclif/core'
import type { BenchOptions } from '../../bench/run-bench.js'
import { QUICK_REQUESTS } from '../../bench/run-bench.js'
import { BUILT_IN_WORKLOADS } from '../../bench/workloads.js'
import type { ConfigInput } from '../../config/config.js'
import { AsteriaError } from '../../core/errors.js'
import type { PairSplit } from '../../scoring/pair-splits.js'
import { parseLatency } from '../durations.js'

/** `asteria bench`: its help and flags, and the replay options they stand for. */
export const BENCH_SUMMARY = 'Replay a trace through no cache, exact match, threshold-only, Asteria and the oracle, and compare them.'

export const BENCH_DESCRIPTION =
  'A discrete-event simulation on a simulated clock: remote calls take their simulated time (300–500 ms by default) while the ' +
  "caches' own work really runs and is timed. Threshold-only and Asteria are each traced along a range of tau_sim, and compared " +
  'at matched false-hit rates. Gold labels (intent, answers) are used for scoring only. Uses throwaway in-memory caches, never --db.\n\n' +
  'With --machines N and a shared store (--store postgres://..., ASTERIA_STORE_URL or storeUrl): the value of sharing one cache ' +
  'across machines. The trace is split by session across N processes and replayed twice, with N isolated local caches, then with ' +
  'N local caches over one shared PostgreSQL tier; it prints both hit rates and the look-up latency the shared tier adds (p50/p95). ' +
  "Latency is the cache's own: the simulated remote answers at once (--latency makes it wait) and its time is excluded. Each run " +
  'creates a fresh schema asteria_bench_<pid>_<time> in that database (a ?schema= in the URL is ignored) and drops it at the end, ' +
  'so a team cache in the same database is never touched.'

export const BENCH_EXAMPLES = [
  '<%= config.bin %> <%= command.id %> --quick',
  '<%= config.bin %> <%= command.id %> --workload coding --report bench.html',
  '<%= config.bin %> <%= command.id %> --trace my-agent-trace.jsonl --json',
  '<%= config.bin %> <%= command.id %> --quick --open-loop --latency 1000-3000',
  '<%= config.bin %> <%= command.id %> --store postgres://agent:PASSWORD@cache-db.internal:5432/asteria --machines 4 --limit 1000',
]

export const BENCH_FLAGS = {
  trace: Flags.string({ description: 'A trace in the public format (JSON Lines: session, tool, query, intent, answers, t_ms), optionally gzipped.' }),
  workload: Flags.string({ description: 'A built-in workload (default: search).', options: [...BUILT_IN_WORKLOADS] }),
  quick: Flags.boolean({ description: 'The first 800 requests and a coarse tau grid: under a minute.' }),
  limit: Flags.integer({ description: 'Replay only the first N requests.', min: 1 }),
  split: Flags.string({ description: 'Replay only the train or heldout half of the intents (fixed hash split): choose settings on train, report heldout.', options: ['train', 'heldout'] }),
  workers: Flags.integer({ description: 'Concurrent sessions in the closed loop.', default: 8, min: 1 }),
  'open-loop': Flags.boolean({ description: "Requests arrive at their t_ms instead of each session's previous request completing." }),
  'real-time': Flags.boolean({ description: 'Really wait for remote calls (end-to-end runs); one run per variant, no curves.' }),
  latency: Flags.string({ description: 'Simulated remote latency in ms: 0, 400 or 300-500 (default 300-500; with --machines 0).' }),
  seed: Flags.integer({ description: 'Seed of the remote latency draws.', default: 1 }),
  report: Flags.string({ description: 'Also write a self-contained HTML report with charts to this file.' }),
  machines: Flags.integer({
    description: 'Split the trace by session across N processes: N isolated local caches vs N local caches over the shared --store tier.',
    min: 2,
    exclusive: ['report', 'open-loop', 'real-time'],
  }),
}

interface BenchFlags {
  quick: boolean
  limit?: number
  split?: string
  workers: number
  'open-loop': boolean
  'real-time': boolean
  latency?: string
  seed: number
}

/** The settings the flags change: the simulated latency of the remote source. */
export function benchConfigInput(flags: Pick<BenchFlags, 'latency'>): ConfigInput {
  return flags.latency === undefined ? {} : { latencyMs: parseLatency(flags.latency) }
}

/** How the replay runs, from the flags. */
export function benchRunOptions(flags: BenchFlags): Pick<BenchOptions, 'workers' | 'openLoop' | 'realTime' | 'seed' | 'quick' | 'limit' | 'split'> {
  return {
    workers: flags.workers,
    openLoop: flags['open-loop'],
    realTime: flags['real-time'],
    seed: flags.seed,
    quick: flags.quick,
    limit: flags.limit,
    split: flags.split as PairSplit | undefined,
  }
}

/** --machines N compares isolated caches with one shared tier, so it needs a shared store. */
export function requireSharedStore(storeUrl: string | undefined, machines: number): string {
  if (storeUrl) return storeUrl
  throw new AsteriaError('BAD_INPUT', `Expected a shared store with --machines ${machines} (it compares isolated local caches with one shared PostgreSQL tier), received none.`, {
    suggestions: ['Pass --store postgres://user:password@host:5432/database (PostgreSQL with pgvector), or set ASTERIA_STORE_URL; the bench uses a throwaway schema there.'],
  })
}

/** --machines N: how many requests, and the remote latency (0 unless --latency). */
export function machinesRunOptions(flags: BenchFlags): { limit?: number; remoteLatencyMs: number | [number, number]; seed: number } {
  return {
    limit: flags.limit ?? (flags.quick ? QUICK_REQUESTS : undefined),
    remoteLatencyMs: flags.latency === undefined ? 0 : parseLatency(flags.latency),
    seed: flags.seed,
  }
}
