import DatabaseConstructor from 'better-sqlite3'
import type Database from 'better-sqlite3'
import * as sqliteVec from 'sqlite-vec'
import { indexVec0Partitions } from './vec0-partitions.js'

/**
 * Ways to lay out many vectors of ONE scope in sqlite-vec so that a k-nearest look-up stays fast
 * as the scope grows (npm run bench:index compares them). Vectors are unit length; distance is cosine.
 * - float: brute force over float32 vectors (exact; linear in size).
 * - bit / int8: brute force over binary or int8-quantised vectors for k x oversample candidates, rescored exactly.
 * - ivf: spherical k-means centroids as a vec0 partition key; a look-up scans only the lists of the nearest few centroids.
 */
export interface Neighbour {
  id: number
  distance: number
}

export interface VectorLayout {
  readonly name: string
  /** Stores vectors under positive integer ids, in one transaction. */
  add(items: readonly { id: number; vector: Float32Array }[]): void
  nearest(query: Float32Array, k: number): Neighbour[]
}

const IDENTIFIER = /^[a-z][a-z0-9_]*$/

function checkName(prefix: string, dims: number): void {
  if (!IDENTIFIER.test(prefix)) throw new Error(`vector layout prefix must be a lower-case identifier, got "${prefix}"`)
  if (!Number.isInteger(dims) || dims < 1 || (dims % 8 !== 0 && dims > 8)) throw new Error(`vector layout dimensions must be a positive multiple of 8, got ${dims}`)
}

const byDistance = (a: Neighbour, b: Neighbour) => a.distance - b.distance || a.id - b.id
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',')

/** Statements whose IN list has `n` placeholders, prepared once per length. */
function statementsByLength(db: Database.Database, sql: (list: string) => string): (n: number) => Database.Statement {
  const prepared = new Map<number, Database.Statement>()
  return (n) => {
    let statement = prepared.get(n)
    if (!statement) prepared.set(n, (statement = db.prepare(sql(placeholders(n)))))
    return statement
  }
}
const toNeighbours = (rows: unknown[]) => (rows as { id: number | bigint; distance: number }[]).map((r) => ({ id: Number(r.id), distance: r.distance }))

/** Exact brute force over float32 vectors: the reference every other layout's recall is measured against. */
export function floatLayout(db: Database.Database, prefix: string, dims: number): VectorLayout {
  checkName(prefix, dims)
  db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${prefix} USING vec0(embedding float[${dims}] distance_metric=cosine)`)
  const insert = db.prepare(`INSERT INTO ${prefix}(rowid, embedding) VALUES (?, ?)`)
  const knn = db.prepare(`SELECT rowid AS id, distance FROM ${prefix} WHERE embedding MATCH ? AND k = ?`)
  return {
    name: 'float',
    add: (items) => db.transaction(() => items.forEach((i) => insert.run(BigInt(i.id), i.vector)))(),
    nearest: (query, k) => toNeighbours(knn.all(query, k)),
  }
}

/** Exact float vectors by id, read back to rescore a quantised layout's candidates. */
class Rescorer {
  private readonly insert: Database.Statement
  private readonly distances: (n: number) => Database.Statement

  constructor(db: Database.Database, table: string) {
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (id INTEGER PRIMARY KEY, embedding BLOB NOT NULL)`)
    this.insert = db.prepare(`INSERT OR REPLACE INTO ${table}(id, embedding) VALUES (?, ?)`)
    this.distances = statementsByLength(db, (list) => `SELECT id, vec_distance_cosine(embedding, ?) AS distance FROM ${table} WHERE id IN (${list})`)
  }

  add(id: number, vector: Float32Array): void {
    this.insert.run(id, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength))
  }

  rescore(query: Float32Array, ids: readonly number[], k: number): Neighbour[] {
    if (ids.length === 0) return []
    return toNeighbours(this.distances(ids.length).all(query, ...ids)).sort(byDistance).slice(0, k)
  }
}

export interface QuantizedOptions {
  kind: 'bit' | 'int8'
  /** Candidates fetched per result wanted, before exact rescoring. */
  oversample: number
}

const QUANTIZE = { bit: 'vec_quantize_binary(?)', int8: "vec_quantize_int8(?, 'unit')" }
const COLUMN = { bit: (d: number) => `bit[${d}]`, int8: (d: number) => `int8[${d}] distance_metric=cosine` }

/** Brute force over binary (1 bit per dimension) or int8 vectors, then exact cosine on the best k x oversample. */
export function quantizedLayout(db: Database.Database, prefix: string, dims: number, options: QuantizedOptions): VectorLayout {
  checkName(prefix, dims)
  db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${prefix} USING vec0(embedding ${COLUMN[options.kind](dims)})`)
  const rescorer = new Rescorer(db, `${prefix}_exact`)
  const insert = db.prepare(`INSERT INTO ${prefix}(rowid, embedding) VALUES (?, ${QUANTIZE[options.kind]})`)
  const knn = db.prepare(`SELECT rowid AS id FROM ${prefix} WHERE embedding MATCH ${QUANTIZE[options.kind]} AND k = ?`)
  return {
    name: `${options.kind}x${options.oversample}`,
    add: (items) =>
      db.transaction(() => {
        for (const { id, vector } of items) {
          insert.run(BigInt(id), vector)
          rescorer.add(id, vector)
        }
      })(),
    nearest: (query, k) => rescorer.rescore(query, (knn.all(query, k * options.oversample) as { id: number }[]).map((r) => Number(r.id)), k),
  }
}

export interface IvfOptions {
  /** Lists probed per look-up. */
  probes: number
  /** float: exact within the probed lists; bit: binary within them, then exact rescoring of k x oversample. */
  inner: 'float' | 'bit'
  oversample?: number
}

/**
 * An inverted-file layout: vectors are partitioned by their nearest centroid (a vec0 partition
 * key), and a look-up searches only the lists of the `probes` centroids nearest the query.
 * Centroids come from spherical k-means on a sample (train) before vectors are added. The
 * nearest centroids are found in two steps too: binary codes of the centroids in a small vec0
 * table, then exact cosine on the best few.
 */
export class IvfLayout {
  private centroids = new Float32Array(0)
  private lists = 0
  private readonly coarse: Database.Statement

  /**
   * `chunkSize`: vec0 slots per storage chunk, best near the expected list size (vec0's default
   * of 1024 makes every small list read and store a whole 1024-vector chunk).
   */
  constructor(
    private readonly db: Database.Database,
    private readonly prefix: string,
    private readonly dims: number,
    private readonly inner: IvfOptions['inner'],
    chunkSize?: number,
  ) {
    checkName(prefix, dims)
    if (chunkSize !== undefined && !(Number.isInteger(chunkSize) && chunkSize >= 8 && chunkSize % 8 === 0)) throw new Error(`ivf chunk size must be a multiple of 8, got ${chunkSize}`)
    const column = inner === 'bit' ? `bit[${dims}]` : `float[${dims}] distance_metric=cosine`
    db.exec(`CREATE TABLE IF NOT EXISTS ${prefix}_centroids (list INTEGER PRIMARY KEY, centroid BLOB NOT NULL)`)
    db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${prefix}_coarse USING vec0(embedding bit[${dims}])`)
    db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${prefix} USING vec0(list INTEGER PARTITION KEY, embedding ${column}${chunkSize ? `, chunk_size=${chunkSize}` : ''})`)
    indexVec0Partitions(db, prefix)
    this.coarse = db.prepare(`SELECT rowid - 1 AS list FROM ${prefix}_coarse WHERE embedding MATCH vec_quantize_binary(?) AND k = ?`)
    this.load()
  }

  /** Spherical k-means (cosine) on a sample of unit vectors; stores `lists` centroids. */
  train(sample: readonly Float32Array[], lists: number, iterations: number, random: () => number): void {
    if (sample.length < lists) throw new Error(`ivf training needs at least ${lists} sample vectors, got ${sample.length}`)
    const order = [...sample.keys()]
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[order[i], order[j]] = [order[j], order[i]]
    }
    let centroids: Float32Array[] = order.slice(0, lists).map((i) => Float32Array.from(sample[i]))
    for (let round = 0; round < iterations; round++) {
      this.store(centroids)
      const sums = centroids.map(() => new Float32Array(this.dims))
      for (const vector of sample) {
        const sum = sums[this.nearestLists(vector, 1)[0]]
        for (let d = 0; d < this.dims; d++) sum[d] += vector[d]
      }
      centroids = sums.map((sum, i) => (sum.some((x) => x !== 0) ? unit(sum) : centroids[i]))
    }
    this.store(centroids)
  }

  private store(centroids: readonly Float32Array[]): void {
    this.db.transaction(() => {
      this.db.exec(`DELETE FROM ${this.prefix}_centroids; DELETE FROM ${this.prefix}_coarse`)
      const exact = this.db.prepare(`INSERT INTO ${this.prefix}_centroids(list, centroid) VALUES (?, ?)`)
      const coarse = this.db.prepare(`INSERT INTO ${this.prefix}_coarse(rowid, embedding) VALUES (?, vec_quantize_binary(?))`)
      centroids.forEach((c, list) => {
        exact.run(list, Buffer.from(c.buffer, c.byteOffset, c.byteLength))
        coarse.run(BigInt(list + 1), c)
      })
    })()
    this.load()
  }

  private load(): void {
    const rows = this.db.prepare(`SELECT centroid FROM ${this.prefix}_centroids ORDER BY list`).all() as { centroid: Buffer }[]
    this.lists = rows.length
    this.centroids = new Float32Array(rows.length * this.dims)
    rows.forEach((r, i) => this.centroids.set(new Float32Array(r.centroid.buffer, r.centroid.byteOffset, this.dims), i * this.dims))
  }

  /** The `n` lists whose centroids are most similar to `vector`, best first (exact cosine among the best binary matches). */
  nearestLists(vector: Float32Array, n: number): number[] {
    const candidates = (this.coarse.all(vector, Math.min(this.lists, Math.max(8, 4 * n))) as { list: number }[]).map((r) => Number(r.list))
    const score = (list: number) => dot(this.centroids, list * this.dims, vector, this.dims)
    return candidates.map((list) => ({ list, s: score(list) })).sort((a, b) => b.s - a.s).slice(0, n).map((c) => c.list)
  }

  /** A look-up view probing `options.probes` lists; `add` on it stores into the shared partitions. */
  layout(options: IvfOptions): VectorLayout {
    if (this.lists === 0) throw new Error(`ivf layout ${this.prefix} has no centroids: train it first`)
    const quantize = this.inner === 'bit' ? 'vec_quantize_binary(?)' : '?'
    const insert = this.db.prepare(`INSERT INTO ${this.prefix}(rowid, list, embedding) VALUES (?, ?, ${quantize})`)
    const rescorer = this.inner === 'bit' ? new Rescorer(this.db, `${this.prefix}_exact`) : undefined
    const oversample = this.inner === 'bit' ? (options.oversample ?? 10) : 1
    const knn = statementsByLength(this.db, (list) => `SELECT rowid AS id, distance FROM ${this.prefix} WHERE embedding MATCH ${quantize} AND k = ? AND list IN (${list})`)
    return {
      name: `ivf-${this.inner}${this.inner === 'bit' ? `x${oversample}` : ''}/${this.lists}p${options.probes}`,
      add: (items) =>
        this.db.transaction(() => {
          for (const { id, vector } of items) {
            insert.run(BigInt(id), BigInt(this.nearestLists(vector, 1)[0]), vector)
            rescorer?.add(id, vector)
          }
        })(),
      nearest: (query, k) => {
        const lists = this.nearestLists(query, Math.min(options.probes, this.lists))
        const rows = knn(lists.length).all(query, k * oversample, ...lists.map(BigInt))
        // vec0 returns the best of each probed list; merge them.
        const merged = toNeighbours(rows).sort(byDistance)
        return rescorer ? rescorer.rescore(query, merged.slice(0, k * oversample).map((n) => n.id), k) : merged.slice(0, k)
      },
    }
  }
}

function dot(matrix: Float32Array, offset: number, vector: Float32Array, dims: number): number {
  let sum = 0
  for (let d = 0; d < dims; d++) sum += matrix[offset + d] * vector[d]
  return sum
}

function unit(v: Float32Array): Float32Array {
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0))
  return norm > 0 ? v.map((x) => x / norm) : v
}

/** A scratch database for layout experiments: sqlite-vec loaded, durability traded for bulk-load speed. */
export function openLayoutDatabase(path: string): Database.Database {
  const db = new DatabaseConstructor(path)
  sqliteVec.load(db)
  db.pragma('journal_mode = OFF')
  db.pragma('synchronous = OFF')
  db.pragma('cache_size = -262144')
  return db
}
