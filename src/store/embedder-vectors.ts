import type Database from 'better-sqlite3'
import { LIST_RECALL_TARGET, measureRecall } from './list-check.js'
import { hasVec0PartitionIndex, indexVec0Partitions, VEC0_CHUNK_SIZE } from './vec0-partitions.js'
import { toVector, VectorLists, type Neighbour, type ScopeLists } from './vector-lists.js'


export interface VectorIndexOptions {
  /** Elements in one scope from which its vectors are kept in lists; below, an exact scan. */
  listsFrom?: number
  /** A list splits in two past this many vectors. */
  splitAt?: number
  /** Lists read per look-up, once a recall check has passed. */
  probes?: number
  /** Vectors of an existing scope moved into lists per store into that scope. */
  moveBatch?: number
  /** Recall is checked at `listsFrom` elements, then each time the scope grows 4x, up to this many. */
  checkUpTo?: number
}

export const VECTOR_INDEX_DEFAULTS: Required<VectorIndexOptions> = { listsFrom: 1024, splitAt: 256, probes: 4, moveBatch: 1024, checkUpTo: 65536 }
const CHECK_QUERIES = 20

/**
 * How a scope's vectors are searched: an exact scan, or lists: `probing` a few (else all of them,
 * exactly), `moving`: some vectors still wait in the scan.
 */
export type ScopeLayout = { kind: 'scan' } | { kind: 'lists'; lists: number; probing: boolean; moving: boolean }

const byDistance = (a: Neighbour, b: Neighbour) => a.distance - b.distance || a.element_id - b.element_id
const EVER = BigInt(Number.MIN_SAFE_INTEGER)

/**
 * One embedder's vectors: the scanned table (one vec0 partition per scope, exact), and for scopes
 * past `listsFrom` elements, lists of nearby vectors (vector-lists.ts). Each vector is in exactly
 * one of them. A scope moves over while it grows: the store that takes it past the switch point
 * starts its lists, and each store into it moves `moveBatch` more of its vectors, so no look-up waits
 * for a rebuild (look-ups also scan the vectors not yet moved). Then, and each time the scope has
 * grown 4x, recall@10 through `probes` lists is measured against all lists (list-check.ts): look-ups
 * read a few lists only while it is at least 0.95, else all of them, which is exact.
 */
export class EmbedderVectors {
  private readonly lists: VectorLists | undefined
  private readonly options: Required<VectorIndexOptions>
  private readonly scan: ReturnType<typeof prepare>

  constructor(db: Database.Database, table: string, embedder: string, private readonly dims: number, options: VectorIndexOptions = {}) {
    this.options = { ...VECTOR_INDEX_DEFAULTS, ...options }
    // Files made before the partition index existed get it once (their chunk size stays as it was);
    // a read-only file does without it (it only makes look-ups faster).
    if (!db.readonly && !hasVec0PartitionIndex(db, table)) indexVec0Partitions(db, table)
    this.scan = prepare(db, table)
    // A read-only file made before the lists existed has none: it is scanned, as it always was.
    const hasLists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(`${table}_lists`) !== undefined
    if (!hasLists && !db.readonly) VectorLists.create(db, table, dims)
    this.lists = hasLists || !db.readonly ? new VectorLists(db, table, embedder, dims, this.options.splitAt) : undefined
  }

  /** Creates an embedder's scanned table: one partition per scope. */
  static createScanTable(db: Database.Database, table: string, dims: number): void {
    db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${table} USING vec0(
      element_id INTEGER PRIMARY KEY,
      scope_key TEXT PARTITION KEY,
      expires_at INTEGER,
      embedding FLOAT[${dims}] distance_metric=cosine,
      chunk_size=${VEC0_CHUNK_SIZE})`)
    indexVec0Partitions(db, table)
  }

  /** Stores one vector (inside the caller's write transaction, after its element row). */
  insert(id: bigint, scopeKey: string, expiresAt: bigint, vector: Float32Array | Buffer): void {
    let lists = this.lists?.scope(scopeKey)
    if (lists) this.lists!.add(lists, scopeKey, id, expiresAt, vector)
    else {
      this.scan.insert.run(id, scopeKey, expiresAt, vector)
      if (!this.lists || (this.scan.count.get(scopeKey) as { n: number }).n < this.options.listsFrom) return
      const { newest } = this.scan.newest.get(scopeKey) as { newest: number }
      lists = this.lists.start(scopeKey, vector instanceof Float32Array ? vector : toVector(vector, this.dims), newest, this.options.listsFrom)
    }
    if (lists.movedThrough < lists.moveUntil) this.moveBatch(lists, scopeKey)
    if (lists.movedThrough >= lists.moveUntil && lists.elements >= lists.nextCheck) this.checkRecall(lists, scopeKey)
  }

  remove(id: bigint): void {
    this.scan.remove.run(id)
    this.lists?.remove(id)
  }

  read(id: bigint): { expires_at: number; embedding: Buffer } | undefined {
    return (this.scan.read.get(id) as { expires_at: number; embedding: Buffer } | undefined) ?? this.lists?.read(id)
  }

  /** Moves a vector to another scope (a vec0 partition key cannot be updated). */
  move(id: bigint, scopeKey: string): void {
    const row = this.read(id)
    if (!row) return
    this.remove(id)
    this.insert(id, scopeKey, BigInt(row.expires_at), row.embedding)
  }

  /** The k nearest unexpired vectors of the scope, nearest first. */
  nearest(scopeKey: string, query: Float32Array, k: number, now: bigint): Neighbour[] {
    const lists = this.lists?.scope(scopeKey)
    if (!lists) return this.scan.knn.all(query, k, scopeKey, now) as Neighbour[]
    const hits = this.lists!.nearest(scopeKey, query, k, now, lists.probing ? lists.centroids.nearest(query, this.options.probes) : undefined)
    if (lists.movedThrough < lists.moveUntil) hits.push(...(this.scan.knn.all(query, k, scopeKey, now) as Neighbour[]))
    return hits.sort(byDistance).slice(0, k)
  }

  layout(scopeKey: string): ScopeLayout {
    const lists = this.lists?.scope(scopeKey)
    if (!lists) return { kind: 'scan' }
    return { kind: 'lists', lists: lists.centroids.size, probing: lists.probing, moving: lists.movedThrough < lists.moveUntil }
  }

  private moveBatch(lists: ScopeLists, scopeKey: string): void {
    const ids = this.scan.unmoved.all(scopeKey, lists.movedThrough, lists.moveUntil, this.options.moveBatch) as { id: number }[]
    for (const { id } of ids) {
      const row = this.scan.read.get(BigInt(id)) as { expires_at: number; embedding: Buffer } | undefined
      if (!row) continue
      this.scan.remove.run(BigInt(id))
      this.lists!.add(lists, scopeKey, BigInt(id), BigInt(row.expires_at), row.embedding)
    }
    this.lists!.recordMoved(lists, scopeKey, ids.length < this.options.moveBatch ? lists.moveUntil : ids[ids.length - 1].id)
  }

  /** Measures recall through `probes` lists on stored vectors spread over the scope (~1 s at 64k elements, once). */
  private checkRecall(lists: ScopeLists, scopeKey: string): void {
    const ids = this.scan.scopeIds.all(scopeKey) as number[]
    const stored = Array.from({ length: Math.min(CHECK_QUERIES, ids.length) }, (_, i) => this.lists!.read(BigInt(ids[Math.floor((i * ids.length) / CHECK_QUERIES)])))
      .flatMap((row) => (row ? [toVector(row.embedding, this.dims)] : []))
    const top = (hits: Neighbour[], k: number) => hits.sort(byDistance).slice(0, k).map((h) => h.element_id)
    const recall = measureRecall(
      stored,
      (query, k) => top(this.lists!.nearest(scopeKey, query, k, EVER), k),
      (query, k) => top(this.lists!.nearest(scopeKey, query, k, EVER, lists.centroids.nearest(query, this.options.probes)), k),
      lists.elements,
    )
    const next = lists.elements < this.options.checkUpTo ? Math.min(lists.elements * 4, this.options.checkUpTo) : Number.MAX_SAFE_INTEGER
    this.lists!.recordCheck(lists, scopeKey, recall >= LIST_RECALL_TARGET, next)
  }
}

function prepare(db: Database.Database, table: string) {
  return {
    insert: db.prepare(`INSERT INTO ${table} (element_id, scope_key, expires_at, embedding) VALUES (?, ?, ?, ?)`),
    remove: db.prepare(`DELETE FROM ${table} WHERE element_id = ?`),
    read: db.prepare(`SELECT expires_at, embedding FROM ${table} WHERE element_id = ?`),
    knn: db.prepare(`SELECT element_id, distance FROM ${table} WHERE embedding MATCH ? AND k = ? AND scope_key = ? AND expires_at > ?`),
    count: db.prepare('SELECT count(*) AS n FROM elements WHERE scope_key = ?'),
    newest: db.prepare('SELECT max(id) AS newest FROM elements WHERE scope_key = ?'),
    // `+scope_key`: walk ids upward from where the move stopped, not the scope's rows in query order.
    unmoved: db.prepare('SELECT id FROM elements WHERE +scope_key = ? AND id > ? AND id <= ? ORDER BY id LIMIT ?'),
    scopeIds: db.prepare('SELECT id FROM elements WHERE scope_key = ? ORDER BY id').pluck(),
  }
}
