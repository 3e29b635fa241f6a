import type Database from 'better-sqlite3'
import { prepareScanTable, type ScanTable, type VectorRow } from './scan-table.js'
import { byDistance, ScopePhases } from './scope-phases.js'
import { hasVec0PartitionIndex, indexVec0Partitions } from './vec0-partitions.js'
import { listsAnswer, scanTakes, toVector, VectorLists, type Neighbour, type ScopePhase } from './vector-lists.js'
import { VECTOR_INDEX_DEFAULTS, type VectorIndexOptions } from './vector-index-options.js'

/**
 * How a scope's vectors are searched now: `scan` (below the switch point, or lists on trial, or
 * kept after failed checks), or `lists`, `probes` of them (0: all); `busy` while the phase's
 * batch job has element ids left.
 */
export interface ScopeLayout {
  phase: ScopePhase | 'small'
  searched: 'scan' | 'lists'
  lists: number
  probes: number
  busy: boolean
}

/**
 * One embedder's vectors: the scanned table (one vec0 partition per scope, exact), and for scopes
 * past `listsFrom` elements, lists of nearby vectors (vector-lists.ts) that take over once they
 * keep recall@10 at 0.95 (scope-phases.ts). No look-up ever waits for a rebuild: the work is done
 * a batch per store into the scope, and each vector is searched in exactly one place.
 */
export class EmbedderVectors {
  private readonly lists: VectorLists | undefined
  private readonly phases: ScopePhases | undefined
  private readonly scan: ScanTable
  private readonly options: Required<VectorIndexOptions>

  constructor(db: Database.Database, table: string, embedder: string, private readonly dims: number, options: VectorIndexOptions = {}) {
    this.options = { ...VECTOR_INDEX_DEFAULTS, ...options }
    // Files made before the partition index existed get it once (their chunk size stays as it was);
    // a read-only file does without it (it only makes look-ups faster).
    if (!db.readonly && !hasVec0PartitionIndex(db, table)) indexVec0Partitions(db, table)
    this.scan = prepareScanTable(db, table)
    // A read-only file made before the lists existed has none: it is scanned, as it always was.
    const hasLists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(`${table}_lists`) !== undefined
    if (!hasLists && !db.readonly) VectorLists.create(db, table, dims)
    if (!hasLists && db.readonly) return
    this.lists = new VectorLists(db, table, embedder, dims, this.options.splitAt)
    this.phases = new ScopePhases(this.scan, this.lists, this.options, dims)
  }

  /** Stores one vector (inside the caller's write transaction, after its element row). */
  insert(id: bigint, scopeKey: string, expiresAt: bigint, vector: Float32Array | Buffer): void {
    let state = this.lists?.scope(scopeKey)
    if (!state || scanTakes(state.phase)) this.scan.insert.run(id, scopeKey, expiresAt, vector)
    if (state && state.phase !== 'scan') this.lists!.add(state, scopeKey, id, expiresAt, vector)
    if (!state) {
      if (!this.lists || (this.scan.count.get(scopeKey) as number) < this.options.listsFrom) return
      const first = vector instanceof Float32Array ? vector : toVector(vector, this.dims)
      state = this.lists.start(scopeKey, first, this.scan.newest.get(scopeKey) as number, this.options.listsFrom)
    }
    this.phases!.advance(state, scopeKey)
  }

  remove(id: bigint): void {
    this.scan.remove.run(id)
    this.lists?.remove(id)
  }

  read(id: bigint): VectorRow | undefined {
    return (this.scan.read.get(id) as VectorRow | undefined) ?? this.lists?.read(id)
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
    const state = this.lists?.scope(scopeKey)
    if (!state || !listsAnswer(state.phase)) return this.scan.knn.all(query, k, scopeKey, now) as Neighbour[]
    const probed = state.probes > 0 ? state.centroids.nearest(query, state.probes) : undefined
    return this.lists!.nearest(scopeKey, query, k, now, probed).sort(byDistance).slice(0, k)
  }

  layout(scopeKey: string): ScopeLayout {
    const state = this.lists?.scope(scopeKey)
    if (!state) return { phase: 'small', searched: 'scan', lists: 0, probes: 0, busy: false }
    const lists = state.phase === 'scan' ? 0 : state.centroids.size
    return { phase: state.phase, searched: listsAnswer(state.phase) ? 'lists' : 'scan', lists, probes: state.probes, busy: state.movedThrough < state.moveUntil }
  }
}
