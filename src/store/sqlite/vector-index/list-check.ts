import { seededRandom } from '../../../core/util/seeded-random.js'

/** Recall@10 lists must keep on a scope's own vectors for look-ups to read only a few of them. */
export const LIST_RECALL_TARGET = 0.95
const K = 10

/**
 * Recall@10 through each count of lists in `probeCounts`, against `exact`, for paraphrase-like
 * queries: each of `stored` moved to cosine ~0.95 of itself, as bench:index asks. Topics (a cache's
 * questions) keep recall through a few lists; uniformly random vectors, or a scope too sparse yet
 * for its topics to show, do not.
 */
export function recallByProbes(
  stored: readonly Float32Array[],
  exact: (query: Float32Array, k: number) => number[],
  probed: (query: Float32Array, k: number, probes: number) => number[],
  probeCounts: readonly number[],
  seed: number,
): number[] {
  const random = seededRandom(seed)
  const found = probeCounts.map(() => 0)
  let wanted = 0
  for (const vector of stored) {
    const query = paraphraseOf(vector, random)
    const truth = exact(query, K)
    wanted += truth.length
    probeCounts.forEach((probes, i) => {
      const answer = new Set(probed(query, K, probes))
      found[i] += truth.filter((id) => answer.has(id)).length
    })
  }
  return found.map((n) => (wanted === 0 ? 1 : n / wanted))
}

function paraphraseOf(vector: Float32Array, random: () => number): Float32Array {
  const scale = 0.33 / Math.sqrt(vector.length)
  const moved = vector.map((x) => x + scale * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()))
  const norm = Math.hypot(...moved)
  return moved.map((x) => x / norm)
}
