import type { VectorIndexOptions } from './vector-index-options.js'
import { kMeans } from './k-means.js'
import { LIST_RECALL_TARGET, recallByProbes } from './list-check.js'
import type { ScanTable, VectorRow } from './scan-table.js'
import { listsAnswer, toVector, type Neighbour, type ScopeLists, type VectorLists } from './vector-lists.js'

const CHECK_QUERIES = 20
/** Vectors a regroup trains its lists' centroids on (evenly spaced over the scope's ids). */
const REGROUP_SAMPLE = 32_768
const EVER = BigInt(Number.MIN_SAFE_INTEGER)
/**
 * Lists a recall check tries to read per look-up: `first` and twice as many (when fewer than all),
 * then, for large scopes, doubling while that stays within MAX_PROBES and a quarter of the lists
 * (reading more is barely faster than the exact scan).
 */
const MAX_PROBES = 64
export function probeCounts(first: number, lists: number): number[] {
  const counts = [first, 2 * first].filter((probes) => probes < lists)
  for (let probes = 4 * first; probes <= MAX_PROBES && probes * 4 <= lists; probes *= 2) counts.push(probes)
  return counts
}

/** Up to `count` of `ids`, evenly spaced over them. */
function evenlySpaced(ids: readonly number[], count: number): number[] {
  const length = Math.min(count, ids.length)
  return Array.from({ length }, (_, i) => ids[Math.floor((i * ids.length) / length)])
}

export const byDistance = (a: Neighbour, b: Neighbour) => a.distance - b.distance || a.element_id - b.element_id

/**
 * What a scope past the switch point does after each store into it: one batch of its phase's job,
 * or, when none is left, a recall check if one is due. In `trial` the job copies the scope's older
 * vectors into the lists; in `lists` it deletes their copies from the scan; in `scan` (the checks
 * failed for good) it deletes the lists' copies. A check (20 exact searches: ~0.2 s at 16k elements,
 * ~3 s at 256k; at most six per scope, at 1k, 4k, ... 256k) measures recall@10 through `probes`
 * lists, then twice as many, then doubling up to 64 (and a quarter of the lists), against an exact
 * search: the fewest that keep 0.95 are read from then on, and the lists take over. If none does,
 * the lists are re-trained by k-means (lists grown from a scope's first vectors keep mixing topics
 * its later vectors tell apart) and checked again once every vector is in its new list: `regroup`
 * in a trial (the scan answers meanwhile), `relist` in lists (all of them are read meanwhile). If
 * that fails too, a trial goes on to the next check, or, past `checkUpTo`, ends; lists that had
 * taken over copy their vectors back into the scan (`rescan`) and are on trial again.
 */
export class ScopePhases {
  constructor(
    private readonly scan: ScanTable,
    private readonly lists: VectorLists,
    private readonly options: Required<VectorIndexOptions>,
    private readonly dims: number,
  ) {}

  advance(state: ScopeLists, scopeKey: string): void {
    if (state.movedThrough < state.moveUntil) this.batch(state, scopeKey)
    else if (state.phase === 'rescan') this.rescanned(state, scopeKey)
    else if (state.phase === 'regroup' || state.phase === 'relist' || (state.phase !== 'scan' && state.elements >= state.nextCheck)) this.check(state, scopeKey)
  }

  private batch(state: ScopeLists, scopeKey: string): void {
    const ids = this.scan.idsAfter.all(scopeKey, state.movedThrough, state.moveUntil, this.options.moveBatch) as number[]
    for (const id of ids.map(BigInt)) {
      if (state.phase === 'lists') this.scan.remove.run(id)
      else if (state.phase === 'scan') this.lists.remove(id)
      else if (state.phase === 'rescan') {
        const row = this.lists.read(id)
        if (row) this.scan.insert.run(id, scopeKey, BigInt(row.expires_at), row.embedding)
      } else {
        const row = state.phase === 'relist' ? this.lists.read(id) : (this.scan.read.get(id) as VectorRow | undefined)
        // regroup, relist: the vector leaves the list it was in before the lists were re-trained
        if (state.phase !== 'trial') this.lists.remove(id)
        if (row) this.lists.add(state, scopeKey, id, BigInt(row.expires_at), row.embedding)
      }
    }
    this.lists.recordMoved(state, scopeKey, ids.length < this.options.moveBatch ? state.moveUntil : ids[ids.length - 1])
  }

  private check(state: ScopeLists, scopeKey: string): void {
    const ids = this.scan.scopeIds.all(scopeKey) as number[]
    const stored = evenlySpaced(ids, CHECK_QUERIES).flatMap((id) => {
      const row = (this.scan.read.get(BigInt(id)) as VectorRow | undefined) ?? this.lists.read(BigInt(id))
      return row ? [toVector(row.embedding, this.dims)] : []
    })
    const top = (hits: Neighbour[], k: number) => hits.sort(byDistance).slice(0, k).map((h) => h.element_id)
    const exact = (query: Float32Array, k: number) =>
      top(listsAnswer(state.phase) ? this.lists.nearest(scopeKey, query, k, EVER) : (this.scan.knn.all(query, k, scopeKey, EVER) as Neighbour[]), k)
    const probed = (query: Float32Array, k: number, probes: number) => top(this.lists.nearest(scopeKey, query, k, EVER, state.centroids.nearest(query, probes)), k)
    const tried = probeCounts(this.options.probes, state.centroids.size)
    const recalls = recallByProbes(stored, exact, probed, tried, state.elements)
    const probes = tried.find((_, i) => recalls[i] >= LIST_RECALL_TARGET) ?? 0
    const newest = this.scan.newest.get(scopeKey) as number
    // Each failed check re-trains (checks are 4x apart, so a scope's re-trainings cost about a third more
    // than its last one): lists that keep mixing topics at 4k elements can keep them apart at 256k.
    if (probes === 0 && (state.phase === 'trial' || state.phase === 'lists')) return this.regroup(state, scopeKey, ids, newest)
    const last = state.elements >= this.options.checkUpTo
    const nextCheck = last ? Number.MAX_SAFE_INTEGER : Math.min(state.elements * 4, this.options.checkUpTo)
    const phase = probes > 0 ? 'lists' : state.phase === 'relist' ? 'rescan' : last ? 'scan' : 'trial'
    this.lists.recordCheck(state, scopeKey, { phase, probes, nextCheck, moveUntil: newest })
  }

  /** Every vector is in the scan again: the scope is on trial (or, past the last check, scanned for good). */
  private rescanned(state: ScopeLists, scopeKey: string): void {
    const phase = state.nextCheck === Number.MAX_SAFE_INTEGER ? 'scan' : 'trial'
    this.lists.recordCheck(state, scopeKey, { phase, probes: 0, nextCheck: state.nextCheck, moveUntil: this.scan.newest.get(scopeKey) as number })
  }

  /**
   * Re-trains lists that failed their check: k-means on up to REGROUP_SAMPLE of the
   * scope's vectors, one list per splitAt / 2 of them (~17 s at 256k elements, ~4 s at 64k, once
   * per failed check), then phase `regroup` or `relist` moves every vector into its new list, a batch per store.
   */
  private regroup(state: ScopeLists, scopeKey: string, ids: readonly number[], newest: number): void {
    const sample = evenlySpaced(ids, REGROUP_SAMPLE).flatMap((id) => {
      const row = listsAnswer(state.phase) ? this.lists.read(BigInt(id)) : (this.scan.read.get(BigInt(id)) as VectorRow | undefined)
      return row ? [toVector(row.embedding, this.dims)] : []
    })
    if (sample.length === 0) return
    const centroids = kMeans(sample, Math.ceil(state.elements / (this.options.splitAt / 2)))
    this.lists.regroup(state, scopeKey, centroids, newest)
  }
}
