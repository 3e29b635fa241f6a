import type Database from 'better-sqlite3'
import { ListCentroids } from './list-centroids.js'
import { splitInTwo } from './two-means.js'
import { indexVec0Partitions } from './vec0-partitions.js'

/** sqlite-vec's largest k: a list never holds more vectors than this (it splits long before). */
const MAX_K = 4096
/** vec0 slots per chunk of the lists table, near a list's typical length. */
const LIST_CHUNK_SIZE = 64

/**
 * `trial`: lists are grown beside the scan (which still answers) until a recall check passes;
 * `regroup`: a trial whose check failed, its lists re-trained by k-means on a sample and its vectors
 * moved into them, checked again once they all are; `lists`: they answer; `relist`: lists that
 * failed a later check, re-trained the same way, every list read (exact) until their vectors are
 * all moved; `rescan`: re-trained lists that failed too, every list read while their vectors are
 * copied back into the scan, then a trial again (the scan is faster than reading every list);
 * `scan`: the checks failed for good and the scan answers.
 */
export type ScopePhase = 'trial' | 'regroup' | 'lists' | 'relist' | 'rescan' | 'scan'

/** The phase each moving phase goes on to with nothing left to move (a failed regroup back to its trial, a passed relist to its lists, a rescan to its trial). */
const AFTER_MOVING: Partial<Record<ScopePhase, ScopePhase>> = { regroup: 'trial', relist: 'lists', rescan: 'trial' }

/** Whether the lists hold all of the scope's vectors (the scan does not), so look-ups read them. */
export const listsAnswer = (phase: ScopePhase) => phase === 'lists' || phase === 'relist' || phase === 'rescan'
/** Whether a vector stored now goes into the scan (as well as into the lists, but in phase `scan`). */
export const scanTakes = (phase: ScopePhase) => phase !== 'lists' && phase !== 'relist'

export interface ScopeLists {
  phase: ScopePhase
  version: number
  /** Lists a look-up reads: the fewest that kept recall at the last check; 0: all of them (exact). */
  probes: number
  /** The phase's batch job (copy into lists, delete from the scan or from lists) has done element ids up to here. */
  movedThrough: number
  moveUntil: number
  /** Vectors stored into the scope's lists (deletes are not counted), and when recall is checked next. */
  elements: number
  nextCheck: number
  centroids: ListCentroids
}

export interface Neighbour {
  element_id: number
  distance: number
}

const toBlob = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength)
export const toVector = (blob: Buffer, dims: number) => new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + dims * 4))

/**
 * The vectors of an embedder's large scopes, grouped in lists of nearby vectors (an inverted file
 * grown by splitting): table `${table}_lists`, partitioned by scope and list, so a look-up reads
 * only the lists whose centroids are nearest the query. A list splits in two (spherical 2-means
 * of its own vectors) when it passes `splitAt`, so no rebuild is ever needed: the index grows with
 * the scope, a few milliseconds per split.
 */
export class VectorLists {
  private readonly scopes = new Map<string, ScopeLists>()
  private readonly statements: ReturnType<typeof prepare>

  constructor(
    db: Database.Database,
    vectorTable: string,
    private readonly embedder: string,
    private readonly dims: number,
    private readonly splitAt: number,
  ) {
    this.statements = prepare(db, `${vectorTable}_lists`)
  }

  /** Creates the lists table of an embedder's vector table (idempotent). */
  static create(db: Database.Database, vectorTable: string, dims: number): void {
    db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${vectorTable}_lists USING vec0(
      element_id INTEGER PRIMARY KEY,
      scope_key TEXT PARTITION KEY,
      list INTEGER PARTITION KEY,
      expires_at INTEGER,
      embedding FLOAT[${dims}] distance_metric=cosine,
      chunk_size=${LIST_CHUNK_SIZE})`)
    indexVec0Partitions(db, `${vectorTable}_lists`, 2)
  }

  /** The scope's lists as stored now (reloading what another process changed); undefined for a scope still scanned. */
  scope(scopeKey: string): ScopeLists | undefined {
    const row = this.statements.scope.get(this.embedder, scopeKey) as
      | { phase: ScopePhase; probes: number; version: number; moved_through: number; move_until: number; elements: number; next_check: number }
      | undefined
    if (!row) return undefined
    let lists = this.scopes.get(scopeKey)
    if (!lists) {
      lists = { phase: row.phase, version: 0, probes: 0, movedThrough: 0, moveUntil: 0, elements: 0, nextCheck: 0, centroids: new ListCentroids(this.dims) }
      this.scopes.set(scopeKey, lists)
    }
    if (row.version !== lists.version) {
      const load = (since: number) => {
        for (const list of this.statements.changedLists.all(this.embedder, scopeKey, since) as { id: number; centroid: Buffer }[]) {
          lists.centroids.set(list.id, toVector(list.centroid, this.dims))
        }
      }
      load(lists.version)
      // Splits only add lists; a regroup (in this process or another) replaced them all.
      if (lists.centroids.size !== (this.statements.listCount.get(this.embedder, scopeKey) as number)) {
        lists.centroids = new ListCentroids(this.dims)
        load(-1)
      }
      lists.version = row.version
    }
    const { phase, probes, moved_through: movedThrough, move_until: moveUntil, elements, next_check: nextCheck } = row
    Object.assign(lists, { phase, probes, movedThrough, moveUntil, elements, nextCheck })
    return lists
  }

  /** Starts a trial for a scanned scope: one list around `first`; its vectors up to `moveUntil` are copied in batches. */
  start(scopeKey: string, first: Float32Array, moveUntil: number, firstCheck: number): ScopeLists {
    this.statements.addList.run(this.embedder, scopeKey, toBlob(first), 0, 1)
    this.statements.addScope.run(this.embedder, scopeKey, 'trial', 0, 1, 0, moveUntil, 0, firstCheck)
    return this.scope(scopeKey)!
  }

  /** Stores a vector in the list nearest it, splitting that list when it grows past `splitAt`. Inside a write transaction. */
  add(lists: ScopeLists, scopeKey: string, id: bigint, expiresAt: bigint, vector: Float32Array | Buffer): void {
    const query = vector instanceof Float32Array ? vector : toVector(vector, this.dims)
    const list = lists.centroids.nearest(query, 1)[0]
    this.statements.insert.run(id, scopeKey, BigInt(list), expiresAt, vector)
    this.statements.count.run(this.embedder, scopeKey)
    lists.elements++
    const { size } = this.statements.grow.get(list) as { size: number }
    if (size > this.splitAt) this.split(lists, scopeKey, list)
  }

  remove(id: bigint): void {
    this.statements.remove.run(id)
  }

  read(id: bigint): { expires_at: number; embedding: Buffer } | undefined {
    return this.statements.read.get(id) as { expires_at: number; embedding: Buffer } | undefined
  }

  /** The k nearest unexpired vectors in each of the given lists, or among all of the scope's lists. */
  nearest(scopeKey: string, query: Float32Array, k: number, now: bigint, lists?: readonly number[]): Neighbour[] {
    if (!lists) return this.statements.knnAll.all(query, k, scopeKey, now) as Neighbour[]
    return this.statements.knnIn(lists.length).all(query, k, scopeKey, ...lists.map(BigInt), now) as Neighbour[]
  }

  recordMoved(lists: ScopeLists, scopeKey: string, through: number): void {
    this.statements.moved.run(through, this.embedder, scopeKey)
    lists.movedThrough = through
  }

  /** Records a recall check's outcome; a new phase starts its batch job over the element ids up to `moveUntil`. */
  recordCheck(lists: ScopeLists, scopeKey: string, outcome: { phase: ScopePhase; probes: number; nextCheck: number; moveUntil: number }): void {
    // A re-training that ends in the phase it leads to has already moved every vector.
    const sameJob = outcome.phase === lists.phase || outcome.phase === AFTER_MOVING[lists.phase]
    const movedThrough = sameJob ? lists.movedThrough : 0
    const moveUntil = sameJob ? lists.moveUntil : outcome.moveUntil
    this.statements.checked.run(outcome.phase, outcome.probes, outcome.nextCheck, movedThrough, moveUntil, this.embedder, scopeKey)
    if (outcome.phase === 'scan') this.statements.dropLists.run(this.embedder, scopeKey)
    Object.assign(lists, { ...outcome, movedThrough, moveUntil })
  }

  /**
   * Replaces the scope's lists with lists around `centroids` and starts phase `regroup` (from a
   * trial) or `relist` (from lists): its batch job moves each vector up to `moveUntil` into its new
   * list, while the scan, or all of the lists, answer.
   */
  regroup(lists: ScopeLists, scopeKey: string, centroids: readonly Float32Array[], moveUntil: number): void {
    const phase = listsAnswer(lists.phase) ? 'relist' : 'regroup'
    const version = lists.version + 1
    lists.centroids = new ListCentroids(this.dims)
    // The new lists are added before the old ones go, so their ids are new: vectors not moved yet
    // keep their old list's id until the batch job reaches them.
    for (const centroid of centroids) {
      const id = Number(this.statements.addList.run(this.embedder, scopeKey, toBlob(centroid), 0, version).lastInsertRowid)
      lists.centroids.set(id, centroid)
    }
    this.statements.dropOldLists.run(this.embedder, scopeKey, version)
    this.statements.regrouped.run(phase, version, moveUntil, this.embedder, scopeKey)
    Object.assign(lists, { phase, probes: 0, version, movedThrough: 0, moveUntil, elements: 0 })
  }

  private split(lists: ScopeLists, scopeKey: string, list: number): void {
    const { centroid } = this.statements.centroid.get(list) as { centroid: Buffer }
    const members = this.statements.members.all(centroid, MAX_K, scopeKey, BigInt(list)) as { element_id: number; expires_at: number; embedding: Buffer }[]
    if (members.length <= this.splitAt) {
      // Deletes elsewhere (eviction, clearing) do not count down sizes; a split re-counts.
      this.statements.resize.run(members.length, list)
      return
    }
    const halves = splitInTwo(members.map((m) => toVector(m.embedding, this.dims)))
    const version = lists.version + 1
    this.statements.updateList.run(toBlob(halves.firstCentroid), halves.first.length, version, list)
    const added = Number(this.statements.addList.run(this.embedder, scopeKey, toBlob(halves.secondCentroid), halves.second.length, version).lastInsertRowid)
    // Both halves are written again: vec0 reuses no hole but the last chunk's, and frees a chunk only
    // once all of it is deleted, so a list that kept its members would scan chunks half empty.
    for (const member of members) this.statements.remove.run(BigInt(member.element_id))
    for (const [half, target] of [[halves.first, list], [halves.second, added]] as const) {
      for (const i of half) {
        const member = members[i]
        this.statements.insert.run(BigInt(member.element_id), scopeKey, BigInt(target), BigInt(member.expires_at), member.embedding)
      }
    }
    this.statements.bumpScope.run(version, this.embedder, scopeKey)
    lists.version = version
    lists.centroids.set(list, halves.firstCentroid)
    lists.centroids.set(added, halves.secondCentroid)
  }
}

function prepare(db: Database.Database, table: string) {
  const byLength = new Map<number, Database.Statement>()
  const scopeRow = 'WHERE embedder = ? AND scope_key = ?'
  return {
    scope: db.prepare(`SELECT phase, probes, version, moved_through, move_until, elements, next_check FROM vector_scopes ${scopeRow}`),
    changedLists: db.prepare('SELECT id, centroid FROM vector_lists WHERE embedder = ? AND scope_key = ? AND version > ?'),
    addScope: db.prepare(`INSERT INTO vector_scopes (embedder, scope_key, phase, probes, version, moved_through, move_until, elements, next_check)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    bumpScope: db.prepare(`UPDATE vector_scopes SET version = ? ${scopeRow}`),
    moved: db.prepare(`UPDATE vector_scopes SET moved_through = ? ${scopeRow}`),
    count: db.prepare(`UPDATE vector_scopes SET elements = elements + 1 ${scopeRow}`),
    checked: db.prepare(`UPDATE vector_scopes SET phase = ?, probes = ?, next_check = ?, moved_through = ?, move_until = ? ${scopeRow}`),
    dropLists: db.prepare('DELETE FROM vector_lists WHERE embedder = ? AND scope_key = ?'),
    dropOldLists: db.prepare('DELETE FROM vector_lists WHERE embedder = ? AND scope_key = ? AND version < ?'),
    listCount: db.prepare('SELECT count(*) FROM vector_lists WHERE embedder = ? AND scope_key = ?').pluck(),
    regrouped: db.prepare(`UPDATE vector_scopes SET phase = ?, probes = 0, version = ?, moved_through = 0, move_until = ?, elements = 0 ${scopeRow}`),
    addList: db.prepare('INSERT INTO vector_lists (embedder, scope_key, centroid, size, version) VALUES (?, ?, ?, ?, ?)'),
    updateList: db.prepare('UPDATE vector_lists SET centroid = ?, size = ?, version = ? WHERE id = ?'),
    resize: db.prepare('UPDATE vector_lists SET size = ? WHERE id = ?'),
    grow: db.prepare('UPDATE vector_lists SET size = size + 1 WHERE id = ? RETURNING size'),
    centroid: db.prepare('SELECT centroid FROM vector_lists WHERE id = ?'),
    insert: db.prepare(`INSERT INTO ${table} (element_id, scope_key, list, expires_at, embedding) VALUES (?, ?, ?, ?, ?)`),
    remove: db.prepare(`DELETE FROM ${table} WHERE element_id = ?`),
    read: db.prepare(`SELECT expires_at, embedding FROM ${table} WHERE element_id = ?`),
    members: db.prepare(`SELECT element_id, expires_at, embedding FROM ${table} WHERE embedding MATCH ? AND k = ? AND scope_key = ? AND list = ?`),
    knnAll: db.prepare(`SELECT element_id, distance FROM ${table} WHERE embedding MATCH ? AND k = ? AND scope_key = ? AND expires_at > ?`),
    knnIn: (n: number) => {
      let statement = byLength.get(n)
      if (!statement) {
        const lists = Array.from({ length: n }, () => '?').join(',')
        statement = db.prepare(`SELECT element_id, distance FROM ${table} WHERE embedding MATCH ? AND k = ? AND scope_key = ? AND list IN (${lists}) AND expires_at > ?`)
        byLength.set(n, statement)
      }
      return statement
    },
  }
}
