import type { PreparedQuestion } from './prepared-question.js'
import { cosineOfUnit } from '../../embed/word-similarity.js'

/** How well one question's words are found in another's, each word weighted by its IDF. */
export interface Alignment {
  /** Share of the IDF mass whose word (light stem) occurs on the other side. */
  exactCover: number
  /** The same with each word credited its best GloVe cosine on the other side when not found. */
  softCover: number
  /** IDF of the rarest word not found on the other side (0 when all are found). */
  missingIdfMax: number
  /** Largest idf * (1 - best cosine) over the words: a rare word with no close match. */
  missingSoftMax: number
  /** Mean unit vector of the words not found (null when none, or none has a vector). */
  missingVector: Float32Array | null
  /** Light stems of the words not found. */
  missingStems: Set<string>
  /** How many content words (IDF >= CONTENT_IDF) were not found. */
  missingContentWords: number
}

/** Below this IDF a word is a function word ("the", "how", "is") in the shipped corpus. */
const CONTENT_IDF = 3

export function align(from: PreparedQuestion, to: PreparedQuestion): Alignment {
  const stems = new Set(to.stems)
  let exact = 0
  let soft = 0
  let total = 0
  let missingIdfMax = 0
  let missingSoftMax = 0
  let missingVector: Float32Array | null = null
  const missingStems = new Set<string>()
  let missingContentWords = 0
  from.tokens.forEach((_, i) => {
    const w = from.idf[i]
    total += w
    if (stems.has(from.stems[i])) {
      exact += w
      soft += w
      return
    }
    missingIdfMax = Math.max(missingIdfMax, w)
    missingStems.add(from.stems[i])
    if (w >= CONTENT_IDF) missingContentWords++
    const v = from.vectors[i]
    let best = 0
    if (v) {
      for (const u of to.vectors) if (u) best = Math.max(best, cosineOfUnit(v, u))
      missingVector ??= new Float32Array(v.length)
      for (let d = 0; d < v.length; d++) missingVector[d] += w * v[d]
    }
    soft += w * best
    missingSoftMax = Math.max(missingSoftMax, w * (1 - best))
  })
  return {
    exactCover: total === 0 ? 1 : exact / total,
    softCover: total === 0 ? 1 : soft / total,
    missingIdfMax,
    missingSoftMax,
    missingVector,
    missingStems,
    missingContentWords,
  }
}

/** Cosine of what each side has that the other lacks: "guitar" vs "flute" low, "begin" vs "start" high. */
export function substitutionSimilarity(ab: Alignment, ba: Alignment): number {
  if (ab.missingIdfMax === 0 && ba.missingIdfMax === 0) return 1
  if (!ab.missingVector || !ba.missingVector) return 0
  let dot = 0
  let na = 0
  let nb = 0
  for (let d = 0; d < ab.missingVector.length; d++) {
    dot += ab.missingVector[d] * ba.missingVector[d]
    na += ab.missingVector[d] ** 2
    nb += ba.missingVector[d] ** 2
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb)
}
