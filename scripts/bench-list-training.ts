/**
 * How well lists of nearby vectors keep recall@10 on the first `--prefix` vectors of a `--size`
 * `questions` set (scripts/index/synthetic-vectors.ts), by how the lists are formed, in memory:
 *
 * - `split`: as the cache grows them (src/store/sqlite/vector-index/vector-lists.ts): each vector
 *   joins its nearest list, a list splits in two (2-means) past `--split-at`;
 * - `bisect`: top-down 2-means of a sample of `--sample` vectors into prefix / `--per-list` lists;
 * - `kmeans`: Lloyd's k-means of the same sample into as many lists (`--rounds` rounds; what the
 *   cache re-trains a scope's lists with when a recall check fails, src/store/sqlite/vector-index/k-means.ts).
 *
 * Queries are `--queries` stored vectors moved to cosine ~0.95 of themselves, as the cache's recall
 * check asks; recall@10 is against an exact search of the prefix. It answers: why does the cache's
 * check fail at 256k elements of a 1M set, and would re-training its lists pass it?
 *
 * `--data sentences` takes the first `--prefix` distinct sentences of the shipped corpora instead,
 * embedded by the shipped static embedder (what `npm run bench:lookup` stores): how far apart such
 * vectors are, and whether any lists keep their ten nearest.
 *
 * Run: npm run bench:list-training [-- --size 1000000 --prefix 262144 --sample 32768 --per-list 128
 *   --rounds 5 --split-at 256 --queries 60 --methods split,bisect,kmeans --dims 384 --data questions|sentences]
 */
import { parseArgs } from 'node:util'
import { seededRandom } from '../src/core/util/seeded-random.js'
import { dotAt, ListCentroids } from '../src/store/sqlite/vector-index/list-centroids.js'
import { kMeans } from '../src/store/sqlite/vector-index/k-means.js'
import { centroidOf, splitInTwo } from '../src/store/sqlite/vector-index/two-means.js'
import { loadStaticEmbedder } from '../src/embed/static-embedder.js'
import { corpusSentences } from './index/corpus-sentences.js'
import { noisy, syntheticVectors } from './index/synthetic-vectors.js'

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1000000' },
    prefix: { type: 'string', default: '262144' },
    sample: { type: 'string', default: '32768' },
    'per-list': { type: 'string', default: '128' },
    rounds: { type: 'string', default: '5' },
    'split-at': { type: 'string', default: '256' },
    queries: { type: 'string', default: '60' },
    methods: { type: 'string', default: 'split,bisect,kmeans' },
    dims: { type: 'string', default: '384' },
    data: { type: 'string', default: 'questions' },
  },
})
const [size, prefix, queryCount] = [values.size, values.prefix, values.queries].map(Number)
if (values.data !== 'questions' && values.data !== 'sentences') throw new Error(`--data takes questions or sentences; received "${values.data}"`)
const sampleSize = Math.min(prefix, Number(values.sample))
const listCount = Math.max(1, Math.round(prefix / Number(values['per-list'])))
const PROBES = [1, 2, 4, 8, 16, 32, 64]
const K = 10

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1)
const mean = (xs: number[]) => xs.reduce((sum, x) => sum + x, 0) / xs.length

function questionVectors(dims: number): [number, Float32Array] {
  const { vector } = syntheticVectors(size, dims, 'questions', 0)
  const data = new Float32Array(prefix * dims)
  for (let i = 0; i < prefix; i++) data.set(vector(i + 1), i * dims)
  return [dims, data]
}

async function sentenceVectors(): Promise<[number, Float32Array]> {
  const sentences = corpusSentences().slice(0, prefix)
  if (sentences.length < prefix) throw new Error(`the shipped corpora give ${sentences.length} distinct sentences; ask for at most that many with --prefix`)
  const embedder = loadStaticEmbedder()
  const data = new Float32Array(prefix * embedder.dimensions)
  for (let i = 0; i < prefix; i += 2000) (await embedder.embed(sentences.slice(i, i + 2000))).forEach((v, j) => data.set(v, (i + j) * embedder.dimensions))
  return [embedder.dimensions, data]
}
let started = performance.now()
const [dims, data] = values.data === 'questions' ? questionVectors(Number(values.dims)) : await sentenceVectors()
const row = (i: number) => data.subarray(i * dims, (i + 1) * dims)
const random = seededRandom(42)
const queries = Array.from({ length: queryCount }, (_, q) => noisy(row(Math.floor((q * prefix) / queryCount)), 0.33, random))

function nearest(query: Float32Array, ids: Iterable<number>): number[] {
  const best: { id: number; similarity: number }[] = []
  for (const id of ids) {
    const similarity = dotAt(data, id * dims, query, dims)
    if (best.length === K && similarity <= best[K - 1].similarity) continue
    best.push({ id, similarity })
    best.sort((a, b) => b.similarity - a.similarity)
    if (best.length > K) best.pop()
  }
  return best.map((b) => b.id)
}
const truth = queries.map((query) => nearest(query, Array(prefix).keys()))
const what = values.data === 'questions' ? `of a ${size.toLocaleString('en')}-vector questions set` : 'corpus sentences (static embedder)'
console.log(`${prefix.toLocaleString('en')} ${what} (${dims}-d), exact top-10 of ${queryCount} queries: ${seconds(started)} s`)
const pairs = Array.from({ length: 2000 }, () => dotAt(data, Math.floor(random() * prefix) * dims, row(Math.floor(random() * prefix)), dims))
const tenth = truth.map((ids, q) => dotAt(data, ids[K - 1] * dims, queries[q], dims))
console.log(`mean cosine: two random vectors ${mean(pairs).toFixed(3)}; a query and its 10th nearest ${mean(tenth).toFixed(3)}`)
console.log('method   lists   formed s  list size p50/max  ' + PROBES.map((p) => `p${p}`.padStart(6)).join(''))

function report(method: string, formedSeconds: string, centroids: ListCentroids, members: number[][]): void {
  const recalls = PROBES.map((probes) => {
    let found = 0
    queries.forEach((query, q) => {
      const answer = new Set(nearest(query, centroids.nearest(query, probes).flatMap((list) => members[list])))
      found += truth[q].filter((id) => answer.has(id)).length
    })
    return found / (queryCount * K)
  })
  const sizes = members.map((m) => m.length).sort((a, b) => a - b)
  const shape = `${sizes[sizes.length >> 1]}/${sizes[sizes.length - 1]}`.padStart(17)
  console.log(`${method.padEnd(8)} ${String(members.length).padStart(5)} ${formedSeconds.padStart(10)} ${shape}  ${recalls.map((r) => r.toFixed(3).padStart(6)).join('')}`)
}

/** Every prefix vector joins the list of its nearest centroid. */
function assign(centroids: Float32Array[]): { index: ListCentroids; members: number[][] } {
  const index = new ListCentroids(dims)
  centroids.forEach((c, list) => index.set(list, c))
  const members: number[][] = centroids.map(() => [])
  for (let i = 0; i < prefix; i++) members[index.nearest(row(i), 1)[0]].push(i)
  return { index, members }
}

const sampleRandom = seededRandom(7)
const sample = Array.from({ length: sampleSize }, () => row(Math.floor(sampleRandom() * prefix)))

for (const method of values.methods.split(',')) {
  started = performance.now()
  if (method === 'split') {
    const splitAt = Number(values['split-at'])
    const index = new ListCentroids(dims)
    const members: number[][] = [[]]
    index.set(0, row(0))
    for (let i = 0; i < prefix; i++) {
      const list = index.nearest(row(i), 1)[0]
      members[list].push(i)
      if (members[list].length <= splitAt) continue
      const halves = splitInTwo(members[list].map(row))
      const [first, second] = [halves.first.map((j) => members[list][j]), halves.second.map((j) => members[list][j])]
      members[list] = first
      members.push(second)
      index.set(list, halves.firstCentroid)
      index.set(members.length - 1, halves.secondCentroid)
    }
    report(method, seconds(started), index, members)
  } else if (method === 'bisect') {
    const leaves: number[][] = [[...sample.keys()]]
    while (leaves.length < listCount) {
      leaves.sort((a, b) => b.length - a.length)
      const largest = leaves.shift()!
      if (largest.length < 2) break
      const halves = splitInTwo(largest.map((i) => sample[i]))
      leaves.push(halves.first.map((j) => largest[j]), halves.second.map((j) => largest[j]))
    }
    const trained = seconds(started)
    const { index, members } = assign(leaves.map((leaf) => centroidOf(sample, leaf, dims)))
    report(method, trained, index, members)
  } else if (method === 'kmeans') {
    const centroids = kMeans(sample, listCount, Number(values.rounds))
    const trained = seconds(started)
    const { index, members } = assign(centroids)
    report(method, trained, index, members)
  } else throw new Error(`--methods takes split, bisect and kmeans; received "${method}"`)
}
