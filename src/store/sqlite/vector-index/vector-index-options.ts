/** How the SQLite store indexes a scope's vectors: an exact scan, then lists once the scope is large. */
export interface VectorIndexOptions {
  /** Elements in one scope from which lists are tried for it; below, only an exact scan. */
  listsFrom?: number
  /** A list splits in two past this many vectors. */
  splitAt?: number
  /** Lists read per look-up: a recall check tries this many, then twice as many, then doubles up to 64 (and a quarter of the lists); keeps the fewest that keep recall. */
  probes?: number
  /** Element ids a scope's batch job goes through per store into that scope. */
  moveBatch?: number
  /** Recall is checked at `listsFrom` elements, then each time the scope grows 4x, up to this many. */
  checkUpTo?: number
}

export const VECTOR_INDEX_DEFAULTS: Required<VectorIndexOptions> = { listsFrom: 1024, splitAt: 256, probes: 4, moveBatch: 1024, checkUpTo: 262144 }
