/**
 * Whether the cache's store should map its file into memory (SQLite's mmap_size) or read each page
 * with a system call, measured side by side: one process opens a kept `bench:index` cache file
 * twice, mapped (the store's default) and read, and times the same look-ups through both,
 * alternating which goes first. Round 1 is every query's first read of its lists in this process
 * (as a CLI process, or a long-running one meeting a new question); round 2 repeats the queries
 * (lists this process has read before). Ratios are read / mapped: above 1, mapping is faster.
 *
 * Make the file first (its size and data must match the flags here):
 *   npm run bench:index -- --sizes 1000000 --layouts cache --data questions --keep /tmp/kept
 * Run: npm run bench:mapping -- --file /tmp/kept/cache-1000000-questions.sqlite --size 1000000
 *   [--data questions --dims 384 --queries 200 --json]
 */
import { existsSync } from 'node:fs'
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { openStore, type SqliteStore } from '../src/store/sqlite/sqlite-store.js'
import { BENCH_EMBEDDER, BENCH_SCOPE } from './index/cache-layout.js'
import { syntheticKind, syntheticVectors } from './index/synthetic-vectors.js'

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    size: { type: 'string' },
    data: { type: 'string', default: 'questions' },
    dims: { type: 'string', default: '384' },
    queries: { type: 'string', default: '200' },
    json: { type: 'boolean', default: false },
  },
})
if (!values.file || !existsSync(values.file) || !values.size) {
  console.error(`Expected --file (a cache file kept by bench:index --keep) and --size (the elements it holds); got --file ${values.file ?? '(none)'} --size ${values.size ?? '(none)'}.`)
  console.error('Make one with: npm run bench:index -- --sizes 100000 --layouts cache --keep /tmp/kept')
  process.exit(2)
}
const data = syntheticKind(values.data)
const { queries } = syntheticVectors(Number(values.size), Number(values.dims), data, Number(values.queries))

async function open(mapBytes?: number): Promise<SqliteStore> {
  const store = openStore(values.file!, { mapBytes })
  await store.registerEmbedder({ fingerprint: BENCH_EMBEDDER, model: 'bench', dimensions: Number(values.dims) })
  // Loads the scope's centroids, untimed, so both stores start equal.
  await store.nearest(BENCH_EMBEDDER, BENCH_SCOPE, queries[0], 10, Date.now())
  return store
}
const stores = { mapped: await open(), read: await open(0) }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const rounds: { round: string; mappedP50Ms: number; readP50Ms: number; ratio: number }[] = []
for (const round of ['first read', 'read before']) {
  const times = { mapped: [] as number[], read: [] as number[] }
  for (const [i, query] of queries.entries()) {
    if (i === 0) continue
    for (const name of i % 2 ? (['mapped', 'read'] as const) : (['read', 'mapped'] as const)) {
      const started = performance.now()
      await stores[name].nearest(BENCH_EMBEDDER, BENCH_SCOPE, query, 10, Date.now())
      times[name].push(performance.now() - started)
    }
  }
  const mapped = median(times.mapped)
  const read = median(times.read)
  rounds.push({ round, mappedP50Ms: mapped, readP50Ms: read, ratio: read / mapped })
}
for (const store of Object.values(stores)) await store.close()
const load = `load average ${loadavg()[0].toFixed(1)}`
if (values.json) console.log(JSON.stringify({ file: values.file, size: Number(values.size), queries: queries.length - 1, load, rounds }, null, 2))
else {
  console.log(`Look-ups in ${values.file} (${values.size} elements), ${queries.length - 1} queries, mapped vs read by system call, side by side; ${load}`)
  console.log('round          mapped p50 ms  read p50 ms  read / mapped')
  for (const r of rounds) console.log(`${r.round.padEnd(14)} ${r.mappedP50Ms.toFixed(3).padStart(13)} ${r.readP50Ms.toFixed(3).padStart(12)} ${r.ratio.toFixed(2).padStart(14)}`)
}
