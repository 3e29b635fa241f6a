import { readFileSync } from 'node:fs'
import { fixturePath } from '../core/util/package-paths.js'
import { STATIC_VECTOR_FIXTURE } from './static-embedder.js'
import { decodeWordVectors, type WordVectors } from './word-vectors.js'

/** Unit-length word vectors by word, for "how close is this word to that one". */
export class WordSimilarity {
  private readonly rows = new Map<string, Float32Array>()

  constructor(vectors: WordVectors) {
    const { words, dimensions, values } = vectors
    words.forEach((word, i) => {
      if (this.rows.has(word)) return
      const row = values.slice(i * dimensions, (i + 1) * dimensions)
      let norm = 0
      for (const x of row) norm += x * x
      if (norm === 0) return
      const f = 1 / Math.sqrt(norm)
      for (let d = 0; d < dimensions; d++) row[d] *= f
      this.rows.set(word, row)
    })
  }

  /** Cosine of two words' vectors; undefined when either is unknown. */
  cosine(a: string, b: string): number | undefined {
    const x = this.vector(a)
    const y = this.vector(b)
    return x && y ? cosineOfUnit(x, y) : undefined
  }

  /** The token's unit vector; "card's" falls back to "card", unknown words to null. */
  vector(token: string): Float32Array | null {
    const direct = this.rows.get(token)
    if (direct) return direct
    const apostrophe = token.search(/['’]/)
    return apostrophe > 0 ? (this.rows.get(token.slice(0, apostrophe)) ?? null) : null
  }
}

export function cosineOfUnit(a: Float32Array, b: Float32Array): number {
  let dot = 0
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i]
  return dot
}

let shared: WordSimilarity | undefined

/**
 * Word-vector cosine for the guard's last resort match (src/core/guard/word-match.ts), from the
 * shipped GloVe vectors, read on the first call (~30 ms): most look-ups never get that far.
 */
export function wordCosine(): (a: string, b: string) => number | undefined {
  return (a, b) => loadWordSimilarity().cosine(a, b)
}

/** The static embedder's GloVe vectors, loaded once. */
export function loadWordSimilarity(): WordSimilarity {
  shared ??= new WordSimilarity(decodeWordVectors(readFileSync(fixturePath('vectors', STATIC_VECTOR_FIXTURE))))
  return shared
}
