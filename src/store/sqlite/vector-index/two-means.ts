import { dotAt } from './list-centroids.js'

export interface Halves {
  /** Indexes into the split vectors, and the unit centroid of each half. */
  first: number[]
  second: number[]
  firstCentroid: Float32Array
  secondCentroid: Float32Array
}

/**
 * Spherical 2-means: splits unit vectors into two groups around two centroids (cosine). Seeds
 * are the vector least like the group's mean and the vector least like that one; a few rounds
 * of reassignment follow. Vectors that cannot be told apart (all equal) are split in halves, so
 * a list always shrinks.
 */
export function splitInTwo(vectors: readonly Float32Array[], rounds = 6): Halves {
  const dims = vectors[0].length
  const all = [...vectors.keys()]
  const mean = centroidOf(vectors, all, dims)
  const farthestFrom = (target: Float32Array) => all.reduce((best, i) => (dot(vectors[i], target) < dot(vectors[best], target) ? i : best), 0)
  const seed = farthestFrom(mean)
  let centroids: Float32Array[] = [Float32Array.from(vectors[seed]), Float32Array.from(vectors[farthestFrom(vectors[seed])])]
  let groups: number[][] = [[], []]
  for (let round = 0; round < rounds; round++) {
    groups = [[], []]
    for (const i of all) groups[dot(vectors[i], centroids[0]) >= dot(vectors[i], centroids[1]) ? 0 : 1].push(i)
    if (groups[0].length === 0 || groups[1].length === 0) break
    centroids = groups.map((group) => centroidOf(vectors, group, dims))
  }
  if (groups[0].length === 0 || groups[1].length === 0) {
    groups = [all.slice(0, all.length >> 1), all.slice(all.length >> 1)]
    centroids = groups.map((group) => centroidOf(vectors, group, dims))
  }
  return { first: groups[0], second: groups[1], firstCentroid: centroids[0], secondCentroid: centroids[1] }
}

/** The unit-length mean direction of the chosen vectors. */
export function centroidOf(vectors: readonly Float32Array[], chosen: readonly number[], dims: number): Float32Array {
  const sum = new Float32Array(dims)
  for (const i of chosen) for (let d = 0; d < dims; d++) sum[d] += vectors[i][d]
  let norm = 0
  for (const x of sum) norm += x * x
  norm = Math.sqrt(norm)
  if (norm > 0) for (let d = 0; d < dims; d++) sum[d] /= norm
  return sum
}

const dot = (a: Float32Array, b: Float32Array) => dotAt(a, 0, b, a.length)
