import { Flags } from '@oclif/core'
import { runMachinesBench } from '../bench/machines/run-machines-bench.js'
import { QUICK_REQUESTS, runBench } from '../bench/run-bench.js'
import { BUILT_IN_WORKLOADS, loadTrace } from '../bench/workloads.js'
import { BaseCommand } from '../cli/base-command.js'
import { parseLatency } from '../cli/durations.js'
import { createEmbedder } from '../embed/create-embedder.js'
import type { PairSplit } from '../scoring/pair-splits.js'
import { formatBenchTable } from '../report/bench-table.js'
import { formatMachinesTable } from '../report/machines-table.js'
import { startBenchProgress } from '../report/bench-progress.js'
import { writeBenchReport } from '../report/bench-html.js'

export default class Bench extends BaseCommand<typeof Bench> {
  static override summary = 'Replay a trace through no cache, exact match, threshold-only, Asteria and the oracle, and compare them.'
  static override description =
    'A discrete-event simulation on a simulated clock: remote calls take their simulated time (300–500 ms by default) while the ' +
    "caches' own work really runs and is timed. Threshold-only and Asteria are each traced along a range of tau_sim, and compared " +
    'at matched false-hit rates. Gold labels (intent, answers) are used for scoring only. Uses throwaway in-memory caches, never --db.\n\n' +
    'With --machines N and a shared store (--store postgres://..., ASTERIA_STORE_URL or storeUrl): the value of sharing one cache ' +
    'across machines. The trace is split by session across N processes and replayed twice, with N isolated local caches, then with ' +
    'N local caches over one shared PostgreSQL tier; it prints both hit rates and the look-up latency the shared tier adds (p50/p95). ' +
    "Latency is the cache's own: the simulated remote answers at once (--latency makes it wait) and its time is excluded. Each run " +
    'creates a fresh schema asteria_bench_<pid>_<time> in that database (a ?schema= in the URL is ignored) and drops it at the end, ' +
    'so a team cache in the same database is never touched.'

  static override examples = [
    '<%= config.bin %> <%= command.id %> --quick',
    '<%= config.bin %> <%= command.id %> --workload coding --report bench.html',
    '<%= config.bin %> <%= command.id %> --trace my-agent-trace.jsonl --json',
    '<%= config.bin %> <%= command.id %> --quick --open-loop --latency 1000-3000',
    '<%= config.bin %> <%= command.id %> --store postgres://agent:PASSWORD@cache-db.internal:5432/asteria --machines 4 --limit 1000',
  ]

  static override flags = {
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

  async run(): Promise<unknown> {
    const { flags } = this
    if (flags.machines !== undefined) return this.runMachines(flags.machines)
    const trace = loadTrace({ trace: flags.trace, workload: flags.workload })
    const { config } = this.resolveConfig(flags.latency === undefined ? {} : { latencyMs: parseLatency(flags.latency) })
    const embedder = await createEmbedder({
      kind: config.embedder, model: config.embedderModel, ollamaHost: config.ollamaHost, openaiBaseUrl: config.openaiBaseUrl, timeoutMs: config.embedTimeoutMs,
    })
    const progress = await startBenchProgress(this.jsonEnabled())
    const result = await runBench({
      trace, config, embedder,
      workers: flags.workers,
      openLoop: flags['open-loop'],
      realTime: flags['real-time'],
      seed: flags.seed,
      quick: flags.quick,
      limit: flags.limit,
      split: flags.split as PairSplit | undefined,
      onProgress: ({ done, total, label }) => progress.update(done, total, label),
    }).finally(() => progress.stop())
    if (flags.report) await writeBenchReport(result, flags.report)
    this.log(formatBenchTable(result))
    if (flags.report) this.log(`\nReport: ${flags.report}`)
    return result
  }

  private async runMachines(machines: number): Promise<unknown> {
    const { flags } = this
    const { config } = this.resolveConfig()
    if (!config.storeUrl) {
      this.fail('BAD_INPUT', `Expected a shared store with --machines ${machines} (it compares isolated local caches with one shared PostgreSQL tier), received none.`, [
        'Pass --store postgres://user:password@host:5432/database (PostgreSQL with pgvector), or set ASTERIA_STORE_URL; the bench uses a throwaway schema there.',
      ])
    }
    const trace = loadTrace({ trace: flags.trace, workload: flags.workload })
    const progress = await startBenchProgress(this.jsonEnabled())
    const result = await runMachinesBench({
      trace, config, machines,
      storeUrl: config.storeUrl,
      limit: flags.limit ?? (flags.quick ? QUICK_REQUESTS : undefined),
      remoteLatencyMs: flags.latency === undefined ? 0 : parseLatency(flags.latency),
      seed: flags.seed,
      onProgress: ({ done, total, label }) => progress.update(done, total, label),
    }).finally(() => progress.stop())
    this.log(formatMachinesTable(result))
    return result
  }
}
