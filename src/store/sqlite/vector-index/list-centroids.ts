import { RotatedSignBits } from './rotated-sign-bits.js'

/** Centroids ranked exactly after the Hamming shortlist, at least (128: the nearest of 500 is among them for 98% of the static embedder's sentence vectors, 32: 86%). */
const SHORTLIST = 128

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
    return ranked
      .map((at) => ({ at, similarity: dotAt(this.centroids, at * this.dims, vector, this.dims) }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, n)
      .map(({ at }) => this.ids[at])
  }

  /** Slots of the `n` centroids whose sign bits differ least from the vector's. */
  private byBits(vector: Float32Array, n: number): number[] {
    const query = this.signs.code(vector)
    const { words, bits } = this.signs
    const { codes } = this
    const counts = bitsIn()
    const count = this.ids.length
    const distances = new Uint16Array(count)
    for (let at = 0, offset = 0; at < count; at++, offset += words) {
      let differing = 0
      for (let w = 0; w < words; w++) {
        const x = codes[offset + w] ^ query[w]
        differing += counts[x & 0xffff] + counts[x >>> 16]
      }
      distances[at] = differing
    }
    // Counting sort by distance: the first n slots are the shortlist.
    const histogram = new Uint32Array(bits + 1)
    for (const d of distances) histogram[d]++
    let cutoff = 0
    for (let seen = 0; cutoff <= bits && seen + histogram[cutoff] < n; cutoff++) seen += histogram[cutoff]
    const shortlist: number[] = []
    for (let at = 0; at < count; at++) if (distances[at] < cutoff) shortlist.push(at)
    for (let at = 0; at < count && shortlist.length < n; at++) if (distances[at] === cutoff) shortlist.push(at)
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
