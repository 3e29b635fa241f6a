import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../../src/core/util/seeded-random.js'
import { dotAt, ListCentroids } from '../../../../src/store/sqlite/vector-index/list-centroids.js'

const DIMS = 300
function unit(v: Float32Array): Float32Array {
  const norm = Math.hypot(...v)
  return v.map((x) => x / norm)
}

/**
 * Vectors shaped like the static embedder's: a direction all of them share, and more than half of
 * the coordinates zero (the same ones for all: hashed-feature buckets a short sentence leaves empty).
 */
function skewedVectors(count: number, seed: number): Float32Array[] {
  const random = seededRandom(seed)
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
  const shared = Float32Array.from({ length: DIMS }, (_, d) => (d < 140 ? Math.abs(gaussian()) : 0))
  return Array.from({ length: count }, () => unit(Float32Array.from({ length: DIMS }, (_, d) => (d < 140 ? 0.6 * shared[d] + gaussian() : d % 7 === 0 ? gaussian() : 0))))
}

describe('ListCentroids', () => {
  it('ranks a vector among many centroids as an exact comparison does, on vectors with a shared direction and mostly-zero coordinates', () => {
    // Given 1,000 centroids and 500 vectors shaped like the static embedder's
    const centroids = skewedVectors(1000, 1)
    const index = new ListCentroids(DIMS)
    centroids.forEach((c, i) => index.set(i, c))
    const vectors = skewedVectors(500, 2)
    // When each vector's nearest centroid and nearest 8 are asked for
    let nearestAgrees = 0
    let foundOfEight = 0
    for (const v of vectors) {
      const exact = centroids.map((c, i) => ({ i, s: dotAt(c, 0, v, DIMS) })).sort((a, b) => b.s - a.s)
      if (index.nearest(v, 1)[0] === exact[0].i) nearestAgrees++
      const eight = new Set(index.nearest(v, 8))
      foundOfEight += exact.slice(0, 8).filter((e) => eight.has(e.i)).length
    }
    // Then the shortlist by bits nearly always holds the exact answer (by raw coordinate signs: 58% and 40% here)
    expect(nearestAgrees / vectors.length).toBeGreaterThanOrEqual(0.95)
    expect(foundOfEight / (8 * vectors.length)).toBeGreaterThanOrEqual(0.9)
  })

  it('keeps the exact answer when thousands of centroids are first cut by a prefix of their codes', () => {
    // Given 10,000 centroids (past the 4,096 where the 256-bit first pass starts) and 200 vectors near some of them
    const centroids = skewedVectors(10_000, 5)
    const index = new ListCentroids(DIMS)
    centroids.forEach((c, i) => index.set(i, c))
    const random = seededRandom(6)
    const noise = skewedVectors(200, 7)
    const vectors = noise.map((n) => unit(centroids[Math.floor(random() * centroids.length)].map((x, d) => x + 0.8 * n[d])))
    // When each vector's nearest 4 lists are asked for
    let found = 0
    for (const v of vectors) {
      const exact = centroids.map((c, i) => ({ i, s: dotAt(c, 0, v, DIMS) })).sort((a, b) => b.s - a.s)
      const four = new Set(index.nearest(v, 4))
      found += exact.slice(0, 4).filter((e) => four.has(e.i)).length
    }
    // Then the two passes by bits hold most of them (one full pass: 87%; a 128-bit first pass: 77%)
    expect(found / (4 * vectors.length)).toBeGreaterThanOrEqual(0.82)
  })

  it('ranks all centroids exactly when there are few, and returns each list once', () => {
    const centroids = skewedVectors(40, 3)
    const index = new ListCentroids(DIMS)
    centroids.forEach((c, i) => index.set(i * 10, c))
    const v = skewedVectors(1, 4)[0]
    const exact = centroids.map((c, i) => ({ id: i * 10, s: dotAt(c, 0, v, DIMS) })).sort((a, b) => b.s - a.s).map((e) => e.id)
    expect(index.nearest(v, 40)).toEqual(exact)
    expect(index.size).toBe(40)
  })
})
