import { RotatedSignBits } from './rotated-sign-bits.js'

/** Centroids ranked exactly after the Hamming shortlist, at least (128: the nearest of 500 is among them for 98% of the static embedder's sentence vectors, 32: 86%). */
const SHORTLIST = 128
/**
 * Past this many centroids, a first pass over the first PREFIX_WORDS words (256 bits) of their
 * codes keeps PREFIX_KEEP for the full codes. At 10,325 lists of the 1M `questions` set (a kept
 * file, .exp profile, side by side) the full pass took 0.49 ms of a 1.19 ms look-up; with the
 * first pass 0.33 ms of 1.02 ms, recall@10 unchanged (0.955); a 128-bit first pass took 0.25 ms
 * but lost nearest lists on the static embedder's shape of vectors (test: 87% -> 77% of the
 * nearest 4 found; 85% at 256 bits). The recall check measures this path, so a loss here shows as
 * a failed check, never as silent misses.
 */
const PREFIX_FROM = 4096
const PREFIX_WORDS = 8
const PREFIX_KEEP = 1024

/**
 * The centroids of one scope's vector lists, in memory: which lists a look-up probes and which
 * list a new vector joins. Ranking thousands of centroids exactly costs ~1.6 ms at 4,000 lists
 * of 384 dimensions in JavaScript; their sign bits after a fixed rotation (rotated-sign-bits.ts)
 * ranked by Hamming distance cost ~0.2 ms (~0.5 ms at 10,000 lists), so the best few by bits are
 * ranked again exactly.
 */
export class ListCentroids {
  private ids: number[] = []
  private readonly slot = new Map<number, number>()
  private centroids: Float32Array
  private codes: Uint32Array
  /** Hamming distances of the last pass, reused across look-ups. With the index sort in nearest(): 3-7% off ranking 10,325 centroids (side by side, 3 runs). */
  private distances = new Uint16Array(0)
  private readonly signs: RotatedSignBits

  constructor(private readonly dims: number) {
    this.signs = new RotatedSignBits(dims)
    this.centroids = new Float32Array(16 * dims)
    this.codes = new Uint32Array(16 * this.signs.words)
  }

  get size(): number {
    return this.ids.length
  }

  /** Adds list `id`, or replaces its centroid. */
  set(id: number, centroid: Float32Array): void {
    let at = this.slot.get(id)
    if (at === undefined) {
      at = this.ids.length
      this.ids.push(id)
      this.slot.set(id, at)
      if ((at + 1) * this.dims > this.centroids.length) this.grow()
    }
    this.centroids.set(centroid, at * this.dims)
    this.codes.set(this.signs.code(centroid), at * this.signs.words)
  }

  /**
   * The `n` lists whose centroids are most similar to `vector`, most similar first, from the
   * `shortlist` (at least 4n) nearest by bits.
   */
  nearest(vector: Float32Array, n: number, shortlist = SHORTLIST): number[] {
    const count = this.ids.length
    const ranked = count <= Math.max(shortlist, 4 * n) ? [...Array(count).keys()] : this.byBits(vector, Math.max(shortlist, 4 * n))
    const similarities = ranked.map((at) => dotAt(this.centroids, at * this.dims, vector, this.dims))
    const order = [...ranked.keys()].sort((a, b) => similarities[b] - similarities[a])
    return order.slice(0, n).map((i) => this.ids[ranked[i]])
  }

  /**
   * Slots of the `n` centroids whose sign bits differ least from the vector's. Past PREFIX_FROM
   * centroids, the first PREFIX_WORDS words of each code cut them to PREFIX_KEEP first (the rotation
   * spreads the angle over all bits alike, so a prefix is a shorter code of the same kind).
   */
  private byBits(vector: Float32Array, n: number): number[] {
    const query = this.signs.code(vector)
    const { words } = this.signs
    const prefixed = this.ids.length > PREFIX_FROM && words > PREFIX_WORDS && n < PREFIX_KEEP
    const kept = prefixed ? this.closest(query, PREFIX_WORDS, PREFIX_KEEP) : undefined
    return this.closest(query, words, n, kept)
  }

  /** Of the given slots (all by default), the `n` whose first `words` words of code differ least from `query`. */
  private closest(query: Uint32Array, words: number, n: number, slots?: number[]): number[] {
    const stride = this.signs.words
    const { codes } = this
    const counts = bitsIn()
    const count = slots ? slots.length : this.ids.length
    if (this.distances.length < count) this.distances = new Uint16Array(Math.max(count, 2 * this.distances.length))
    const { distances } = this
    for (let i = 0; i < count; i++) {
      const offset = (slots ? slots[i] : i) * stride
      let differing = 0
      for (let w = 0; w < words; w++) {
        const x = codes[offset + w] ^ query[w]
        differing += counts[x & 0xffff] + counts[x >>> 16]
      }
      distances[i] = differing
    }
    // Counting sort by distance: the first n are the shortlist.
    const bits = words * 32
    const histogram = new Uint32Array(bits + 1)
    for (let i = 0; i < count; i++) histogram[distances[i]]++
    let cutoff = 0
    for (let seen = 0; cutoff <= bits && seen + histogram[cutoff] < n; cutoff++) seen += histogram[cutoff]
    const shortlist: number[] = []
    for (let i = 0; i < count; i++) if (distances[i] < cutoff) shortlist.push(slots ? slots[i] : i)
    for (let i = 0; i < count && shortlist.length < n; i++) if (distances[i] === cutoff) shortlist.push(slots ? slots[i] : i)
    return shortlist
  }

  private grow(): void {
    const centroids = new Float32Array(this.centroids.length * 2)
    centroids.set(this.centroids)
    this.centroids = centroids
    const codes = new Uint32Array(this.codes.length * 2)
    codes.set(this.codes)
    this.codes = codes
  }
}

let bitCounts: Uint8Array | undefined
/**
 * Set bits of every 16-bit number: a popcount of 32 bits is two look-ups (faster than the bit
 * tricks here). Built on first use (~4 ms), not when a command that never reads lists starts.
 */
function bitsIn(): Uint8Array {
  bitCounts ??= Uint8Array.from({ length: 1 << 16 }, (_, x) => {
    let n = 0
    for (let v = x; v > 0; v &= v - 1) n++
    return n
  })
  return bitCounts
}

export function dotAt(matrix: Float32Array, offset: number, vector: Float32Array, dims: number): number {
  let sum = 0
  for (let d = 0; d < dims; d++) sum += matrix[offset + d] * vector[d]
  return sum
}
