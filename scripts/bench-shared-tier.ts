/**
 * The value of sharing one cache across machines, and what the shared tier costs per call:
 * `asteria bench --machines N` (src/bench/machines) for each N given, with a PostgreSQL provided
 * for development.
 *
 *   npm run bench:shared -- [--machines 2,4,8] [--limit 1000] [--trace file.jsonl] [--store postgres://...] [--latency 0]
 *
 * The shared tier is --store, else ASTERIA_TEST_PG_URL (scripts/pg-test-server.sh starts one), else
 * PGlite (pgvector in WASM) served on a loopback port by this process. Default trace:
 * ../shared/data/traces/*_ship.jsonl, else the built-in search workload. The simulated remote
 * answers at once (--latency ms to make it wait); latency is the cache's own either way. Uses the
 * built-in embedder and the guard. Prints each run's table, then one summary row per N.
 */
import { existsSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import pg from 'pg'
import type { MachinesBenchResult, SharedCallLatency } from '../src/bench/machines/machines-result.js'
import { runMachinesBench } from '../src/bench/machines/run-machines-bench.js'
import { readTraceFile } from '../src/bench/read-trace.js'
import { loadWorkload } from '../src/bench/workloads.js'
import { parseLatency } from '../src/cli/durations.js'
import { defaultConfig } from '../src/config/config.js'
import { formatMachinesTable } from '../src/report/machines-table.js'
import { startTestPostgres, TEST_PG_URL_ENV } from '../test/helpers/pglite-server.js'

const ROOT = resolve(fileURLToPath(import.meta.url), '../..')
const SHIP_TRACES = ['lcquad2_zipf_3k_ship.jsonl', 'disflqa_zipf_3k_ship.jsonl', 'banking77_zipf_2k_ship.jsonl']

const { values } = parseArgs({
  options: {
    machines: { type: 'string', default: '2,4,8' },
    limit: { type: 'string', default: '1000' },
    trace: { type: 'string' },
    store: { type: 'string' },
    latency: { type: 'string', default: '0' },
  },
})
const shipTrace = SHIP_TRACES.map((name) => resolve(ROOT, '../shared/data/traces', name)).find((path) => existsSync(path))
const tracePath = values.trace ?? shipTrace
const trace = tracePath ? readTraceFile(tracePath) : loadWorkload('search')
const given = values.store ?? process.env[TEST_PG_URL_ENV]
const pglite = given ? undefined : await startTestPostgres()
const storeUrl = given ?? pglite!.url
const results: MachinesBenchResult[] = []
try {
  console.log(`machine: ${cpus().length} cores (${cpus()[0].model}), Node ${process.version}, load average ${loadavg()[0].toFixed(1)} at the start`)
  for (const machines of values.machines.split(',').map(Number)) {
    let reported = 0
    const result = await runMachinesBench({
      trace,
      machines,
      storeUrl,
      config: { ...defaultConfig(process.env), judge: 'guard', embedder: 'static' },
      limit: Number(values.limit),
      remoteLatencyMs: parseLatency(values.latency),
      onProgress: ({ done, total, label }) => {
        if (done === reported || (done - reported < total / 10 && done < total)) return
        reported = done
        process.stderr.write(`  ${done}/${total} requests: ${label}\n`)
      },
    })
    console.log('\n' + formatMachinesTable(result))
    results.push(result)
  }
  console.log(`\nshared tier: ${pglite ? 'PGlite (pgvector in WASM, single-threaded, in the bench process)' : await serverVersions(storeUrl)}\n`)
  console.log(summaryTable(results))
} finally {
  await pglite?.close()
}

async function serverVersions(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ server: string; vector: string }>(
      "SELECT current_setting('server_version') AS server, (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS vector",
    )
    return `PostgreSQL ${rows[0].server} with pgvector ${rows[0].vector}`
  } finally {
    await client.end()
  }
}

/** One markdown row per N: what sharing changed, and the shared tier's own call times. */
function summaryTable(all: MachinesBenchResult[]): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`
  const ms = (q: { p50: number; p95: number }) => `${q.p50.toFixed(1)} / ${q.p95.toFixed(1)} ms`
  const calls = (c: SharedCallLatency | null) => (c ? `${c.calls} | ${c.p50.toFixed(1)} ms | ${c.p95.toFixed(1)} ms` : 'none | | ')
  const rows = all.map(({ machines, variants: [isolated, shared], sharedTierCalls }) =>
    [
      machines,
      `${pct(isolated.hitRate)} → ${pct(shared.hitRate)}`,
      `${isolated.remoteCalls} → ${shared.remoteCalls}`,
      calls(sharedTierCalls.lookups),
      calls(sharedTierCalls.writes),
      `${ms(isolated.latencyMs.all)} → ${ms(shared.latencyMs.all)}`,
    ].join(' | '),
  )
  return [
    '| processes | hit rate, isolated → shared | remote calls | shared-tier look-ups | p50 | p95 | shared-tier writes | p50 | p95 | request p50 / p95, isolated → shared |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n')
}
