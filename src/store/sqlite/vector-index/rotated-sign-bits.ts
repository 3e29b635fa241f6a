import { seededRandom } from '../../../core/util/seeded-random.js'

const ROUNDS = 3

/**
 * Sign bits of vectors after one fixed pseudo-random rotation: three rounds of random sign flips
 * and a Walsh–Hadamard transform (the fast rotation of FALCONN's cross-polytope LSH), over the
 * vector zero-padded to a power of two. The Hamming distance between two codes then estimates the
 * angle between the vectors (Charikar's SimHash), whatever their coordinates look like. The signs
 * of the raw coordinates did not: the static embedder's vectors have more than half of their
 * coordinates at zero and a direction in common, and a shortlist by raw signs found a vector's
 * nearest centroid for 35% of vectors (these codes: see test/store/sqlite/vector-index).
 */
export class RotatedSignBits {
  /** Bits per code: the vector's length rounded up to a power of two (fewer lose too much: at 10,000 lists of 384-d vectors, 256 bits found 85% of the nearest 4 lists, 512 bits 94%). */
  readonly bits: number
  readonly words: number
  private readonly flips: Float32Array[]
  private readonly work: Float32Array

  constructor(private readonly dims: number) {
    this.bits = 2 ** Math.ceil(Math.log2(Math.max(32, dims)))
    this.words = this.bits / 32
    const random = seededRandom(0x5eed + dims)
    this.flips = Array.from({ length: ROUNDS }, () => Float32Array.from({ length: this.bits }, () => (random() < 0.5 ? -1 : 1)))
    this.work = new Float32Array(this.bits)
  }

  code(vector: Float32Array): Uint32Array {
    const x = this.work
    x.fill(0)
    x.set(vector.subarray(0, this.dims))
    for (const flips of this.flips) {
      for (let i = 0; i < this.bits; i++) x[i] *= flips[i]
      walshHadamard(x)
    }
    const code = new Uint32Array(this.words)
    for (let i = 0; i < this.bits; i++) if (x[i] > 0) code[i >>> 5] |= 1 << (i & 31)
    return code
  }
}

/** In-place fast Walsh–Hadamard transform (unnormalised: only signs are read). */
function walshHadamard(x: Float32Array): void {
  for (let half = 1; half < x.length; half *= 2) {
    for (let start = 0; start < x.length; start += 2 * half) {
      for (let i = start; i < start + half; i++) {
        const a = x[i]
        const b = x[i + half]
        x[i] = a + b
        x[i + half] = a - b
      }
    }
  }
}
