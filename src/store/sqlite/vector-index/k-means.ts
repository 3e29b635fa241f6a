import { ListCentroids } from './list-centroids.js'
import { centroidOf } from './two-means.js'

/**
 * Lloyd's k-means on unit vectors (cosine): `count` centroids, seeded with evenly spaced vectors of
 * the sample, `rounds` rounds of assignment (through ListCentroids, as look-ups rank lists) and
 * re-centring. Returns the centroids that kept at least one vector.
 *
 * Lists formed this way from a sample of a scope keep recall far better than lists grown by
 * splitting from the scope's first vectors (README, "Performance"; npm run bench:list-training).
 */
export function kMeans(sample: readonly Float32Array[], count: number, rounds = 5): Float32Array[] {
  const dims = sample[0].length
  const k = Math.max(1, Math.min(count, sample.length))
  let centroids: Float32Array[] = Array.from({ length: k }, (_, i) => Float32Array.from(sample[Math.floor((i * sample.length) / k)]))
  let groups: number[][] = []
  for (let round = 0; round < rounds; round++) {
    const index = new ListCentroids(dims)
    centroids.forEach((centroid, i) => index.set(i, centroid))
    groups = centroids.map(() => [])
    // A shorter shortlist than look-ups use: a vector assigned amiss in one round moves in the next.
    sample.forEach((vector, i) => groups[index.nearest(vector, 1, 32)[0]].push(i))
    centroids = groups.map((group, i) => (group.length > 0 ? centroidOf(sample, group, dims) : centroids[i]))
  }
  return centroids.filter((_, i) => groups[i].length > 0)
}
