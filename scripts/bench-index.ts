/**
 * Look-up latency of the vector index (embedding excluded): p50/p95 of SqliteStore.nearest
 * over random unit vectors in one scope, at several cache sizes.
 * Run: npm run bench:index [-- --sizes 10000,100000 --dims 306 --queries 200 --json]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { NewElement } from '../src/core/cache-store.js'
import { normalizeVector } from '../src/embed/embedder.js'
import { openStore } from '../src/store/sqlite-store.js'

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    dims: { type: 'string', default: '498' },
    queries: { type: 'string', default: '200' },
    k: { type: 'string', default: '8' },
    json: { type: 'boolean', default: false },
  },
})
const sizes = values.sizes.split(',').map(Number)
const dims = Number(values.dims)
const queries = Number(values.queries)
const k = Number(values.k)

let seed = 42
function random(): number {
  seed = (seed * 1664525 + 1013904223) >>> 0
  return seed / 2 ** 32
}
function randomVector(): Float32Array {
  const v = new Float32Array(dims)
  for (let i = 0; i < dims; i++) v[i] = random() * 2 - 1
  return normalizeVector(v)
}
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
}

const fingerprint = `bench:random${dims}`
const template: NewElement = {
  query: 'q', normalizedQuery: 'q', namespace: 'bench', tool: 'search', args: {}, scopeKey: 'one-scope', embedder: fingerprint,
  result: { documents: [] }, latencyMs: 400, costUsd: 0.005, staticity: 7, frequency: 0, sizeBytes: 10, createdAt: 0,
  lastAccessAt: 0, expiresAt: 1e15, origin: 'store',
}

const rows = []
for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'asteria-bench-index-'))
  const store = openStore(join(dir, 'bench.sqlite'))
  await store.registerEmbedder({ fingerprint, model: 'random', dimensions: dims })
  const loadStart = performance.now()
  for (let i = 0; i < size; i += 5000) {
    const batch = Array.from({ length: Math.min(5000, size - i) }, (_, j) => ({
      element: { ...template, query: `q${i + j}`, normalizedQuery: `q${i + j}` },
      embedding: randomVector(),
    }))
    await store.insert(batch)
    if (!values.json) process.stderr.write(`\r${size}: loaded ${Math.min(size, i + 5000)}`)
  }
  const loadSeconds = (performance.now() - loadStart) / 1000
  const times: number[] = []
  for (let q = 0; q < queries + 10; q++) {
    const vector = randomVector()
    const t = performance.now()
    await store.nearest(fingerprint, 'one-scope', vector, k, 0)
    if (q >= 10) times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  rows.push({ elements: size, dims, k, queries, p50Ms: percentile(times, 0.5), p95Ms: percentile(times, 0.95), loadSeconds })
  await store.close()
  rmSync(dir, { recursive: true, force: true })
  if (!values.json) process.stderr.write('\n')
}

if (values.json) {
  console.log(JSON.stringify({ layout: 'sqlite-vec float32 brute force, one scope', rows }, null, 2))
} else {
  console.log(`Vector look-up latency (sqlite-vec float32, cosine, one scope, k=${k}, ${queries} queries, embedding excluded)`)
  console.log('elements  dims   p50 ms   p95 ms   load s')
  for (const r of rows) {
    console.log(`${String(r.elements).padStart(8)}  ${String(r.dims).padStart(4)}  ${r.p50Ms.toFixed(2).padStart(7)}  ${r.p95Ms.toFixed(2).padStart(7)}  ${r.loadSeconds.toFixed(1).padStart(7)}`)
  }
}
