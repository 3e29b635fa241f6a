import { readFileSync } from 'node:fs'
import { tokenize } from '../core/normalize.js'
import { fixturePath } from '../core/util/package-paths.js'
import type { Embedder } from '../core/ports/embedder.js'
import { decodeWordVectors, type WordVectors } from './word-vectors.js'

export const STATIC_VECTOR_FIXTURE = 'glove-6b-50d-10k.bin'

/**
 * The mix. Defaults are the winner of the grid in scripts/bench-embed.ts, chosen on the train
 * halves of the "_ship" pair sets only (see src/scoring/pair-splits.ts).
 */
export interface StaticEmbedderSettings {
  /** SIF smoothing a in a / (a + p(w)); weighs both the GloVe average and each word's n-grams. */
  sifA: number
  /** Norms of the GloVe part and the hashed part before the whole is made unit length. */
  wordWeight: number
  charWeight: number
  /** Weight of hashed word bigrams (in the n-gram buckets): the only order signal. */
  bigramWeight: number
  /** Hash buckets for character 3–5-grams and bigrams. */
  buckets: number
  /**
   * SIF weight of tokens containing digits. Unknown to GloVe, they would otherwise weigh most
   * and push "France in 2020" away from "France in 2021"; telling those apart is the guard's
   * job, finding the candidate is the embedder's.
   */
  numberWeight: number
}

export const DEFAULT_STATIC_SETTINGS: Readonly<StaticEmbedderSettings> = {
  sifA: 3e-4,
  wordWeight: 0.6,
  charWeight: 1,
  bigramWeight: 1,
  buckets: 448,
  numberWeight: 0.3,
}

const MIN_N = 3
const MAX_N = 5
// GloVe 6B has 400k words; Zipf: p(rank r) = 1 / (r * H_400000).
const ZIPF_NORMALISER = Math.log(400_000) + 0.5772

/**
 * A dependency-free sentence embedder: SIF-weighted GloVe average (synonyms) next to signed
 * hashed character n-grams and word bigrams (unknown words, names, spelling, some word order).
 */
export class StaticEmbedder implements Embedder {
  readonly model: string
  readonly dimensions: number
  readonly fingerprint: string
  readonly settings: Readonly<StaticEmbedderSettings>
  private readonly index = new Map<string, number>()
  private readonly wordDims: number
  private readonly values: Float32Array
  private readonly weights: Float32Array

  constructor(vectors: WordVectors, settings: Partial<StaticEmbedderSettings> = {}) {
    const s = { ...DEFAULT_STATIC_SETTINGS, ...settings }
    this.settings = s
    vectors.words.forEach((word, i) => {
      if (!this.index.has(word)) this.index.set(word, i)
    })
    this.wordDims = vectors.dimensions
    this.values = vectors.values
    // One more slot for unknown words, which rank after the whole vocabulary.
    this.weights = Float32Array.from({ length: vectors.words.length + 1 }, (_, rank) => {
      const p = 1 / ((rank + 1) * ZIPF_NORMALISER)
      return s.sifA / (s.sifA + p)
    })
    this.dimensions = this.wordDims + s.buckets
    this.model = `static-glove${this.wordDims}-sif-cng${s.buckets}`
    this.fingerprint = `static:glove${this.wordDims}-sif${s.sifA}x${s.wordWeight}+cng${MIN_N}${MAX_N}-bi${s.bigramWeight}x${s.buckets}x${s.charWeight}-num${s.numberWeight}:v1`
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    return texts.map((text) => {
      signal?.throwIfAborted()
      return this.embedOne(text)
    })
  }

  /** Synchronous form of embed() for one text; always unit length. */
  embedOne(text: string): Float32Array {
    const tokens = tokenize(text)
    const vector = new Float32Array(this.dimensions)
    const word = vector.subarray(0, this.wordDims)
    const hashed = vector.subarray(this.wordDims)
    // Texts without words share one vector (they also share one exact-match key): a zero
    // vector would break the unit-length contract and cosine distance in the index.
    if (tokens.length === 0) addHashed(hashed, '\u0000no-words', 1)
    const tokenWeights: number[] = []
    for (const token of tokens) {
      const ids = this.lookup(token)
      const tokenWeight = /\d/.test(token)
        ? this.settings.numberWeight
        : this.weights[ids.length > 0 ? Math.min(...ids) : this.weights.length - 1]
      tokenWeights.push(tokenWeight)
      for (const id of ids) {
        const w = this.weights[id]
        const row = id * this.wordDims
        for (let d = 0; d < this.wordDims; d++) word[d] += w * this.values[row + d]
      }
      addCharNgrams(hashed, token, tokenWeight)
    }
    for (let i = 0; i + 1 < tokens.length; i++) {
      const w = this.settings.bigramWeight * Math.min(tokenWeights[i], tokenWeights[i + 1])
      addHashed(hashed, `${tokens[i]} ${tokens[i + 1]}`, w)
    }
    scaleToNorm(word, this.settings.wordWeight)
    scaleToNorm(hashed, this.settings.charWeight)
    scaleToNorm(vector, 1)
    return vector
  }

  /** GloVe rows for a token; "don't" -> "do" + "n't" and "card's" -> "card" + "'s", as GloVe split them. */
  private lookup(token: string): number[] {
    const direct = this.index.get(token)
    if (direct !== undefined) return [direct]
    const t = token.replace('’', "'")
    const apostrophe = t.indexOf("'")
    if (apostrophe < 0) return []
    const parts = t.endsWith("n't") ? [t.slice(0, -3), "n't"] : [t.slice(0, apostrophe), t.slice(apostrophe)]
    return parts.map((p) => this.index.get(p)).filter((i): i is number => i !== undefined)
  }
}

/** Char 3–5-grams of "<token>", sharing the token's weight so long words do not dominate. */
function addCharNgrams(target: Float32Array, token: string, weight: number): void {
  const marked = `<${token}>`
  const grams: string[] = []
  for (let n = MIN_N; n <= MAX_N && n <= marked.length; n++) {
    for (let i = 0; i + n <= marked.length; i++) grams.push(marked.slice(i, i + n))
  }
  const each = weight / Math.sqrt(grams.length)
  for (const gram of grams) addHashed(target, gram, each)
}

function addHashed(target: Float32Array, feature: string, weight: number): void {
  let h = 0x811c9dc5 // FNV-1a
  for (let i = 0; i < feature.length; i++) {
    h ^= feature.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  h >>>= 0
  // The top bit picks the sign, so collisions cancel on average instead of inflating similarity.
  target[h % target.length] += h & 0x80000000 ? -weight : weight
}

function scaleToNorm(v: Float32Array, norm: number): void {
  let sum = 0
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i]
  if (sum === 0) return
  const f = norm / Math.sqrt(sum)
  for (let i = 0; i < v.length; i++) v[i] *= f
}

let shared: StaticEmbedder | undefined
let sharedVectors: WordVectors | undefined

/** The shipped GloVe vectors, decoded once per process (the embedder and the guard's word match share them). */
export function loadStaticVectors(): WordVectors {
  sharedVectors ??= decodeWordVectors(readFileSync(fixturePath('vectors', STATIC_VECTOR_FIXTURE)))
  return sharedVectors
}

/** The default embedder, loaded once from the shipped fixture on first use. */
export function loadStaticEmbedder(): StaticEmbedder {
  shared ??= new StaticEmbedder(loadStaticVectors())
  return shared
}
