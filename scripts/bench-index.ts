/**
 * Vector look-up in ONE scope (partitioning by scope does not help here), per index layout of
 * src/store/sqlite/vector-index/vector-layouts.ts: p50/p95 of a k-nearest look-up (embedding excluded) and recall@k
 * against an exact float scan, at several sizes.
 *
 * Data: synthetic unit vectors, regenerated from a seed per id (nothing is held in memory).
 * `questions` (default) mimics the embeddings of a cache's questions: topics of ~400 vectors
 * (cosine ~0.5 within a topic, ~0 across), and within a topic groups of ~8 near-paraphrases
 * (cosine ~0.85 within a group). `topics` has the topics without the groups (the 10 nearest are
 * then almost equidistant, which quantised ranking cannot order); `uniform` is random directions,
 * the worst case for any index. Queries are noisy copies of stored vectors (cosine ~0.95: a
 * paraphrase of a stored question).
 *
 * `cache` is the cache's own store (src/store/sqlite/sqlite-store.ts, as a look-up reaches it: element rows
 * included) with its defaults, or with `--split-at`, `--lists-from`, `--check-probes` (the fewest lists
 * its recall check tries); `cache-scan` is the same store kept to an exact scan, as it was before.
 *
 * Run: npm run bench:index [-- --sizes 10000,100000,1000000 --dims 384 --queries 100 --data questions|topics|uniform
 *   --layouts float,bit,int8,ivf,ivf-bit,cache,cache-scan --probes 4,8,16 --lists-per-root 4 --oversample 10
 *   --ivf-oversample 5 --check-probes 4 --split-at 256 --lists-from 1024 --reopen --keep DIR --json]
 * --reopen: the cache's store is closed after loading and opened again before it is timed.
 * --keep DIR: the cache layouts' files are kept in DIR (`cache-<size>-<data>.sqlite`), e.g. for
 *   `npm run bench:mapping`; the other layouts' file is deleted as always.
 * IVF lists: lists-per-root x sqrt(n) (4 x sqrt(n) is the usual starting point for large n).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { IvfLayout, floatLayout, openLayoutDatabase, quantizedLayout, type Neighbour, type VectorLayout } from '../src/store/sqlite/vector-index/vector-layouts.js'
import { seededRandom } from '../src/core/util/seeded-random.js'
import type { VectorIndexOptions } from '../src/store/sqlite/vector-index/vector-index-options.js'
import { cacheLayout, type CacheLayout } from './index/cache-layout.js'
import { syntheticKind, syntheticVectors } from './index/synthetic-vectors.js'

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    dims: { type: 'string', default: '384' },
    queries: { type: 'string', default: '100' },
    k: { type: 'string', default: '10' },
    data: { type: 'string', default: 'questions' },
    layouts: { type: 'string', default: 'float,bit,int8,ivf,ivf-bit' },
    oversample: { type: 'string', default: '10' },
    'ivf-oversample': { type: 'string', default: '5' },
    probes: { type: 'string', default: '4,8,16' },
    'lists-per-root': { type: 'string', default: '4' },
    'check-probes': { type: 'string' },
    'split-at': { type: 'string' },
    'lists-from': { type: 'string' },
    reopen: { type: 'boolean', default: false },
    keep: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
})
const sizes = values.sizes.split(',').map(Number)
const dims = Number(values.dims)
const queryCount = Number(values.queries)
const k = Number(values.k)
const layouts = new Set(values.layouts.split(','))
const oversample = Number(values.oversample)
const ivfOversample = Number(values['ivf-oversample'])
const probeCounts = values.probes.split(',').map(Number)
const cacheIndex: VectorIndexOptions = {
  ...(values['split-at'] ? { splitAt: Number(values['split-at']) } : {}),
  ...(values['lists-from'] ? { listsFrom: Number(values['lists-from']) } : {}),
  ...(values['check-probes'] ? { probes: Number(values['check-probes']) } : {}),
}
const BATCH = 2000
const SEED = 0x1d3c
const data = syntheticKind(values.data)
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]
}

function log(text: string): void {
  if (!values.json) process.stderr.write(text)
}

interface Row {
  elements: number
  layout: string
  p50Ms: number
  p95Ms: number
  recallAtK: number
  buildSeconds: number
}

/** Where --keep puts a cache layout's file; an existing file is refused rather than grown. */
function keptPath(folder: string, name: string, size: number): string {
  mkdirSync(folder, { recursive: true })
  const path = join(folder, `${name}-${size}-${values.data}.sqlite`)
  if (existsSync(path)) throw new Error(`--keep: ${path} exists; expected a folder without it. Delete it or choose another folder.`)
  return path
}

type AnyLayout = VectorLayout | Omit<CacheLayout, 'store' | 'describe'>

async function benchSize(size: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'asteria-bench-index-'))
  const db = openLayoutDatabase(join(dir, 'layouts.sqlite'))
  const caches: CacheLayout[] = []
  try {
    const { vector, queries } = syntheticVectors(size, dims, data, queryCount)
    const lists = Math.max(8, Math.round(Number(values['lists-per-root']) * Math.sqrt(size)))
    const built: { layout: AnyLayout; seconds: number; views: AnyLayout[] }[] = []
    const load = async (layout: AnyLayout, views: AnyLayout[] = [layout], extraSeconds = 0) => {
      const started = performance.now()
      for (let id = 1; id <= size; id += BATCH) {
        await layout.add(Array.from({ length: Math.min(BATCH, size - id + 1) }, (_, j) => ({ id: id + j, vector: vector(id + j) })))
        log(`\r${size}: ${layout.name} ${Math.min(size, id + BATCH - 1)}`)
      }
      built.push({ layout, views, seconds: extraSeconds + (performance.now() - started) / 1000 })
      log('\n')
    }
    for (const [name, index] of [['cache-scan', { listsFrom: Number.MAX_SAFE_INTEGER }], ['cache', cacheIndex]] as const) {
      if (!layouts.has(name)) continue
      const path = values.keep ? keptPath(values.keep, name, size) : join(dir, `${name}.sqlite`)
      const cache = await cacheLayout(path, dims, name, index)
      await load(cache)
      log(`${size}: ${name}: ${cache.describe()}\n`)
      if (values.reopen) {
        // Looked up by a process that opens the file afresh (the WAL checkpointed), not the one that wrote it.
        await cache.store.close()
        const reopened = await cacheLayout(path, dims, name, index)
        built[built.length - 1] = { ...built[built.length - 1], layout: reopened, views: [reopened] }
        caches.push(reopened)
      } else caches.push(cache)
    }
    await load(floatLayout(db, 'flat_float', dims))
    if (layouts.has('bit')) await load(quantizedLayout(db, 'flat_bit', dims, { kind: 'bit', oversample }))
    if (layouts.has('int8')) await load(quantizedLayout(db, 'flat_int8', dims, { kind: 'int8', oversample }))
    for (const inner of ['float', 'bit'] as const) {
      if (!layouts.has(inner === 'float' ? 'ivf' : 'ivf-bit')) continue
      const started = performance.now()
      const sample = Array.from({ length: Math.min(size, lists * 30) }, (_, i) => vector(1 + Math.floor((i * size) / Math.min(size, lists * 30))))
      const ivf = new IvfLayout(db, `ivf_${inner}`, dims, inner, Math.max(64, Math.ceil(size / lists / 64) * 64))
      ivf.train(sample, lists, 6, seededRandom(SEED))
      const views = probeCounts.map((probes) => ivf.layout({ probes, inner, oversample: ivfOversample }))
      await load(views[0], views, (performance.now() - started) / 1000)
    }
    const exact = built.find((b) => b.layout.name === 'float')!.layout as VectorLayout
    const truth = queries.map((q) => exact.nearest(q, k))
    const rows: Row[] = []
    for (const { views, seconds } of built) {
      for (const layout of views) {
        for (const q of queries.slice(0, 5)) await layout.nearest(q, k)
        const times: number[] = []
        let found = 0
        for (const [i, q] of queries.entries()) {
          const started = performance.now()
          const pending = layout.nearest(q, k)
          const result: Neighbour[] = pending instanceof Promise ? await pending : pending
          times.push(performance.now() - started)
          const expected = new Set(truth[i].map((n) => n.id))
          found += result.filter((n) => expected.has(n.id)).length
        }
        times.sort((a, b) => a - b)
        rows.push({ elements: size, layout: layout.name, p50Ms: percentile(times, 0.5), p95Ms: percentile(times, 0.95), recallAtK: found / (queries.length * k), buildSeconds: seconds })
        log(`${size}: ${layout.name} p50 ${rows.at(-1)!.p50Ms.toFixed(2)} ms, recall@${k} ${rows.at(-1)!.recallAtK.toFixed(3)}\n`)
      }
    }
    return rows
  } finally {
    db.close()
    for (const cache of caches) await cache.store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const loadBefore = loadavg()[0]
const rows: Row[] = []
for (const size of sizes) rows.push(...(await benchSize(size)))
const load = `load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after (other work on the machine slows every layout alike)`

if (values.json) {
  console.log(JSON.stringify({ data: values.data, dims, k, queries: queryCount, load, rows }, null, 2))
} else {
  console.log(`Vector look-up in ONE scope: ${dims}-d ${values.data} unit vectors, k=${k}, ${queryCount} queries, embedding excluded; recall@${k} against an exact float scan; ${load}`)
  console.log('elements  layout                   p50 ms   p95 ms  recall@k  build s')
  for (const r of rows) {
    console.log(`${String(r.elements).padStart(8)}  ${r.layout.padEnd(22)} ${r.p50Ms.toFixed(2).padStart(8)} ${r.p95Ms.toFixed(2).padStart(8)}  ${r.recallAtK.toFixed(3).padStart(8)} ${r.buildSeconds.toFixed(1).padStart(8)}`)
  }
}
