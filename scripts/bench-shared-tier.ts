/**
 * The value of sharing one cache across machines, and what the shared tier costs per look-up:
 * `asteria bench --machines N` (src/bench/machines) with a PostgreSQL provided for development.
 *
 *   npm run bench:shared -- [--machines 4] [--limit 1000] [--trace file.jsonl] [--store postgres://...] [--latency 0]
 *
 * The shared tier is --store, else ASTERIA_TEST_PG_URL, else PGlite (pgvector in WASM) served on
 * a loopback port by this process. Default trace: ../shared/data/traces/*_ship.jsonl, else the
 * built-in search workload. The simulated remote answers at once (--latency ms to make it wait);
 * latency is the cache's own either way. Uses the built-in embedder and the guard.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
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
    machines: { type: 'string', default: '4' },
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
let reported = 0
try {
  console.log(`shared tier: ${pglite ? 'PGlite (pgvector in WASM, single-threaded, in the bench process)' : 'PostgreSQL'}`)
  const result = await runMachinesBench({
    trace,
    machines: Number(values.machines),
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
  console.log(formatMachinesTable(result))
} finally {
  await pglite?.close()
}
