import { loadNameLexicon } from '../core/guard/names.js'
import { cosineSimilarity } from '../core/util/vectors.js'
import { loadStaticEmbedder, type StaticEmbedder } from '../embed/static-embedder.js'
import type { Judge, JudgeCandidate, JudgeOptions, JudgeVerdict } from '../core/ports/hit-policy.js'
import { loadIdfTable } from './learned/idf-table.js'
import { loadLearnedJudgeWeights, type LearnedJudgeWeights } from './learned/judge-weights.js'
import { contributions, logit } from './learned/logistic-model.js'
import { pairFeatures } from './learned/pair-features.js'
import { prepareQuestion, type FeatureResources, type PreparedQuestion } from './learned/prepared-question.js'
import { loadWordSimilarity } from '../embed/word-similarity.js'

const REASON_FEATURES = 3

/**
 * The offline pair classifier (`--judge learned`): a logistic regression over lexical,
 * word-order and guard features. Score = the model's probability that the stored question
 * asks the same as the new one; reason = the features that moved it most.
 */
export class LearnedJudge implements Judge {
  readonly name = 'learned'
  /** Where each of the model's features sits in pairFeatures' output. */
  private readonly columns: number[]

  constructor(
    readonly weights: LearnedJudgeWeights,
    private readonly resources: FeatureResources,
    private readonly embedder: StaticEmbedder,
  ) {
    this.columns = weights.logistic.features.map((name) => weights.features.indexOf(name))
  }

  async judge(query: string, candidates: JudgeCandidate[], options: JudgeOptions): Promise<JudgeVerdict[]> {
    options.signal?.throwIfAborted()
    const prepared = this.prepare(query)
    let queryVector: Float32Array | undefined
    return candidates.map(({ element, similarity }) => {
      // The model learned the static embedder's cosine; another embedder's similarity is on another scale.
      let cosine = similarity
      if (element.embedder !== this.embedder.fingerprint) {
        queryVector ??= this.embedder.embedOne(query)
        cosine = cosineSimilarity(queryVector, this.embedder.embedOne(element.query))
      }
      return this.verdict(prepared, this.prepare(element.query), cosine)
    })
  }

  prepare(text: string): PreparedQuestion {
    return prepareQuestion(text, this.resources)
  }

  /** The model's verdict on one pair, given the static embedder's cosine of the two texts. */
  verdict(query: PreparedQuestion, candidate: PreparedQuestion, cosine: number): JudgeVerdict {
    const all = pairFeatures(query, candidate, cosine)
    const x = this.columns.map((j) => all[j])
    const score = 1 / (1 + Math.exp(-logit(this.weights.logistic, x)))
    return { score, reason: this.explain(x) }
  }

  private explain(x: number[]): string {
    const values = new Map(this.weights.logistic.features.map((name, i) => [name, x[i]]))
    const top = contributions(this.weights.logistic, x)
      .slice(0, REASON_FEATURES)
      .map(({ feature, value }) => `${value >= 0 ? '+' : '-'}${feature} ${formatValue(values.get(feature) ?? 0)}`)
    return `learned: ${top.join(', ')}`
  }
}

function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2)
}

let shared: LearnedJudge | undefined

/** The shipped learned judge (fixtures/judge/learned-judge.json), loaded once. */
export function loadLearnedJudge(): LearnedJudge {
  shared ??= new LearnedJudge(
    loadLearnedJudgeWeights(),
    { idf: loadIdfTable(), words: loadWordSimilarity(), lexicon: loadNameLexicon() },
    loadStaticEmbedder(),
  )
  return shared
}
