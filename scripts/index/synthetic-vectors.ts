import { seededRandom } from '../../src/core/util/seeded-random.js'

/** The kinds of synthetic data bench:index draws (see scripts/bench-index.ts for what each mimics). */
export type SyntheticKind = 'questions' | 'topics' | 'uniform'
export const SYNTHETIC_KINDS: readonly SyntheticKind[] = ['questions', 'topics', 'uniform']

/** A `--data` flag's value as a synthetic kind, or an error naming the kinds. */
export function syntheticKind(value: string): SyntheticKind {
  if (!SYNTHETIC_KINDS.includes(value as SyntheticKind)) throw new Error(`--data must be ${SYNTHETIC_KINDS.join(', ')}; got ${value}`)
  return value as SyntheticKind
}

const SEED = 0x1d3c

export function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
}

function unit(v: Float32Array): Float32Array {
  let n = 0
  for (const x of v) n += x * x
  n = Math.sqrt(n)
  for (let i = 0; i < v.length; i++) v[i] /= n
  return v
}

/** A unit vector near `base` (cosine ~1/sqrt(1 + noise^2)), or a random direction without one. */
export function noisy(base: Float32Array | undefined, noise: number, random: () => number, dims = base?.length ?? 0): Float32Array {
  const v = new Float32Array(dims)
  const scale = noise / Math.sqrt(dims)
  for (let d = 0; d < dims; d++) v[d] = (base?.[d] ?? 0) + gaussian(random) * (base ? scale : 1)
  return unit(v)
}

/**
 * A data set of `size` unit vectors, each regenerated from its id (1..size; nothing is held in
 * memory), and `queryCount` queries: noisy copies (cosine ~0.95) of stored vectors. The topics and
 * groups are those of the whole set, so its first quarter has a quarter of each group.
 */
export function syntheticVectors(size: number, dims: number, kind: SyntheticKind, queryCount: number) {
  const topics = Math.max(16, Math.round(size / 400))
  const groups = Math.max(topics, Math.round(size / 8))
  const centres = Array.from({ length: topics }, (_, t) => noisy(undefined, 1, seededRandom(SEED ^ (t * 7919 + 1)), dims))
  // A group's centre is regenerated from its number: a topic centre plus noise (cosine ~0.7 to it).
  const groupCentre = (g: number) => noisy(centres[g % topics], 1, seededRandom(SEED ^ (g * 104729 + 7)))
  const vector = (id: number) => {
    const random = seededRandom(Math.imul(id, 0x9e3779b1) ^ SEED)
    if (kind === 'uniform') return noisy(undefined, 1, random, dims)
    if (kind === 'topics') return noisy(centres[Math.floor(random() * topics)], 1, random)
    return noisy(groupCentre(Math.floor(random() * groups)), 0.6, random)
  }
  const queries = Array.from({ length: queryCount }, (_, q) => {
    const random = seededRandom(Math.imul(q + 1, 0x85ebca77) ^ ~SEED)
    return noisy(vector(1 + Math.floor(random() * size)), 0.33, random)
  })
  return { vector, queries }
}
