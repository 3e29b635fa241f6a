/**
 * The value of sharing one cache across machines, and what the shared tier costs per look-up.
 * Replays a trace split across N processes (each agent session stays on one "machine") twice:
 * N isolated local caches, then N local caches over one shared PostgreSQL tier. Prints hit
 * rates (and how many hits served the right intent) and look-up latency p50/p95 side by side.
 *
 *   npm run bench:shared -- [--machines 4] [--limit 1000] [--trace file.jsonl] [--store postgres://...]
 *
 * The shared tier is --store, else ASTERIA_TEST_PG_URL, else PGlite (pgvector in WASM) served on
 * a loopback port by this process. Default trace: ../shared/data/traces/*_ship.jsonl, else
 * fixtures/workloads/search.jsonl.gz. The loader answers instantly, so latency is the cache's own.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { readTraceFile } from '../src/bench/read-trace.js'
import type { TraceRequest } from '../src/bench/trace-request.js'
import type { CacheStore } from '../src/core/cache-store.js'
import { SemanticCache } from '../src/core/semantic-cache.js'
import { loadStaticEmbedder } from '../src/embed/static-embedder.js'
import { openPostgresStore } from '../src/store/postgres-store.js'
import { openStore } from '../src/store/sqlite-store.js'
import { TieredStore } from '../src/store/tiered-store.js'

interface WorkerSpec {
  db: string
  storeUrl: string | null
  requests: { tool: string; query: string; intent: string | null }[]
}

interface Outcome {
  source: 'cache' | 'remote' | 'coalesced'
  ms: number
  correct: boolean
}

const SCRIPT = fileURLToPath(import.meta.url)
const ROOT = resolve(SCRIPT, '../..')

if (process.argv[2] === '--worker') await runWorker(JSON.parse(readFileSync(process.argv[3], 'utf8')) as WorkerSpec)
else await main()

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { machines: { type: 'string', default: '4' }, limit: { type: 'string', default: '1000' }, trace: { type: 'string' }, store: { type: 'string' } },
  })
  const tracePath = values.trace ?? defaultTrace()
  if (!tracePath) {
    console.log('skipped: no trace (../shared/data/traces/*_ship.jsonl and fixtures/workloads/search.jsonl.gz are both absent); pass --trace')
    return
  }
  const machines = Number(values.machines)
  const requests = readTraceFile(tracePath).requests.slice(0, Number(values.limit))
  const shares = splitBySession(requests, machines)
  const shared = await sharedTier(values.store)
  const dir = mkdtempSync(join(tmpdir(), 'asteria-bench-shared-'))
  try {
    console.log(`trace ${tracePath}: ${requests.length} requests, ${new Set(requests.map((r) => r.session)).size} sessions over ${machines} processes`)
    console.log(`shared tier: ${shared.kind}\n`)
    const isolated = await replay(shares, (i) => ({ db: join(dir, `isolated-${i}.sqlite`), storeUrl: null }))
    const tiered = await replay(shares, (i) => ({ db: join(dir, `hot-${i}.sqlite`), storeUrl: shared.url }))
    report('isolated local caches', isolated)
    report('local + shared tier', tiered)
  } finally {
    await shared.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

function defaultTrace(): string | undefined {
  const candidates = ['lcquad2_zipf_3k_ship.jsonl', 'disflqa_zipf_3k_ship.jsonl', 'banking77_zipf_2k_ship.jsonl']
    .map((name) => resolve(ROOT, '../shared/data/traces', name))
    .concat(resolve(ROOT, 'fixtures/workloads/search.jsonl.gz'))
  return candidates.find((path) => existsSync(path))
}

/** Sessions are dealt to machines in order of first appearance; each keeps its requests' order. */
function splitBySession<T extends { session: string }>(requests: T[], machines: number): T[][] {
  const machineOf = new Map<string, number>()
  const shares: T[][] = Array.from({ length: machines }, () => [])
  for (const request of requests) {
    if (!machineOf.has(request.session)) machineOf.set(request.session, machineOf.size % machines)
    shares[machineOf.get(request.session)!].push(request)
  }
  return shares
}

async function sharedTier(store: string | undefined): Promise<{ kind: string; url: string; close(): Promise<void> }> {
  const url = store ?? process.env.ASTERIA_TEST_PG_URL
  const schema = `asteria_bench_${process.pid}`
  if (url) {
    const withSchema = new URL(url)
    withSchema.searchParams.set('schema', schema)
    const cleanup = openPostgresStore(withSchema.toString())
    return {
      kind: 'PostgreSQL at ' + cleanup.location,
      url: withSchema.toString(),
      close: async () => {
        await cleanup.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined)
        await cleanup.close()
      },
    }
  }
  const { startTestPostgres } = await import('../test/helpers/pglite-server.js')
  const pglite = await startTestPostgres()
  return { kind: 'PGlite (pgvector in WASM, single-threaded, in the bench process)', url: pglite.freshUrl(), close: () => pglite.close() }
}

/** Starts one worker per share, lets them all warm up, then starts them together. */
async function replay(shares: TraceRequest[][], where: (i: number) => Omit<WorkerSpec, 'requests'>): Promise<Outcome[]> {
  const workers = shares.map((requests, i) => {
    const specPath = `${where(i).db}.json`
    writeFileSync(specPath, JSON.stringify({ ...where(i), requests: requests.map((r) => ({ tool: r.tool, query: r.query, intent: r.intent ?? null })) }))
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, '--worker', specPath], { stdio: ['pipe', 'pipe', 'inherit'] })
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
    return { child, next: async () => JSON.parse((await lines.next()).value as string) }
  })
  await Promise.all(workers.map((w) => w.next()))
  for (const w of workers) w.child.stdin.end('go\n')
  return (await Promise.all(workers.map((w) => w.next() as Promise<Outcome[]>))).flat()
}

async function runWorker(spec: WorkerSpec): Promise<void> {
  const embedder = await loadStaticEmbedder()
  const local = openStore(spec.db)
  const store: CacheStore = spec.storeUrl ? new TieredStore(local, openPostgresStore(spec.storeUrl, { max: 2 }), { timeoutMs: 30_000 }) : local
  const cache = new SemanticCache({ store, embedder })
  await store.registerEmbedder({ fingerprint: embedder.fingerprint, model: embedder.model, dimensions: embedder.dimensions })
  process.stdout.write('{"ready":true}\n')
  for await (const _ of createInterface({ input: process.stdin })) break
  const outcomes: Outcome[] = []
  for (const r of spec.requests) {
    const started = performance.now()
    const served = await cache.fetchThrough(r.query, async () => ({ result: { intent: r.intent, documents: [{ id: r.intent ?? r.query, text: r.query }] } }), { tool: r.tool })
    const ms = performance.now() - started
    outcomes.push({ source: served.source, ms, correct: (served.result as { intent: string | null }).intent === r.intent })
  }
  await cache.close()
  process.stdout.write(JSON.stringify(outcomes) + '\n')
}

function report(label: string, outcomes: Outcome[]): void {
  const served = outcomes.filter((o) => o.source !== 'remote')
  const pct = (n: number) => ((100 * n) / outcomes.length).toFixed(1) + '%'
  const quantile = (values: number[], q: number) => {
    const sorted = [...values].sort((a, b) => a - b)
    return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2) : '-'
  }
  const ms = (o: Outcome[]) => o.map((x) => x.ms)
  const misses = outcomes.filter((o) => o.source === 'remote')
  console.log(label)
  console.log(`  hit rate ${pct(served.length)} (right intent ${pct(served.filter((o) => o.correct).length)}), remote calls ${misses.length}`)
  console.log(`  look-up latency ms: all p50 ${quantile(ms(outcomes), 0.5)} p95 ${quantile(ms(outcomes), 0.95)} | hits p50 ${quantile(ms(served), 0.5)} p95 ${quantile(ms(served), 0.95)} | misses p50 ${quantile(ms(misses), 0.5)} p95 ${quantile(ms(misses), 0.95)}`)
}
