import { loadStaticVectors } from './static-embedder.js'
import type { WordVectors } from './word-vectors.js'

/** Unit-length word vectors by word, for "how close is this word to that one"; a row is normalised when first asked for. */
export class WordSimilarity {
  private readonly index = new Map<string, number>()
  private readonly unit = new Map<string, Float32Array | null>()

  constructor(private readonly vectors: WordVectors) {
    vectors.words.forEach((word, i) => {
      if (!this.index.has(word)) this.index.set(word, i)
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
    const direct = this.row(token)
    if (direct) return direct
    const apostrophe = token.search(/['’]/)
    return apostrophe > 0 ? this.row(token.slice(0, apostrophe)) : null
  }

  /** A known word's unit vector; null for an unknown word or an all-zero row. */
  private row(word: string): Float32Array | null {
    let row = this.unit.get(word)
    if (row !== undefined) return row
    const i = this.index.get(word)
    row = null
    if (i !== undefined) {
      const { dimensions, values } = this.vectors
      const copy = values.slice(i * dimensions, (i + 1) * dimensions)
      let norm = 0
      for (const x of copy) norm += x * x
      if (norm > 0) {
        const f = 1 / Math.sqrt(norm)
        for (let d = 0; d < dimensions; d++) copy[d] *= f
        row = copy
      }
    }
    this.unit.set(word, row)
    return row
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
  shared ??= new WordSimilarity(loadStaticVectors())
  return shared
}
