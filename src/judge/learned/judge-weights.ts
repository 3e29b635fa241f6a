import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { AsteriaError } from '../../core/errors.js'
import { fixturePath } from '../../core/util/package-paths.js'
import type { LogisticWeights } from './logistic-model.js'
import { PAIR_FEATURES } from './pair-features.js'

export const LEARNED_JUDGE_FIXTURE = 'learned-judge.json'

/** fixtures/judge/learned-judge.json, written by scripts/train-judge.ts. */
export interface LearnedJudgeWeights {
  format: 'asteria-learned-judge'
  version: 2
  model: 'logistic-regression'
  /** Every feature pairFeatures computes, in its order. */
  features: string[]
  /** The model, over the subset of `features` it names (chosen by leave-one-set-out transfer). */
  logistic: LogisticWeights
  /** Score at which out-of-fold predictions on the training rows reach the named precision. */
  threshold: { value: number; precision: number; recall: number; chosenOn: string }
  /** Fingerprint of the embedder whose cosine the `cosine` feature was trained on. */
  cosineEmbedder: string
  training: {
    description: string
    sets: { name: string; pairs: number; positives: number; weight: number }[]
    /** fixtures/judge/<file>: the canonical hash of every training pair (training/pair-hash.ts). */
    pairHashesFile: string
    pairListHash: string
    heldout: string
    /** featureFingerprint() of the authored pairs' features when trained: changes when the guard or a feature does. */
    featureCheck: string
  }
}

let shared: LearnedJudgeWeights | undefined

export function loadLearnedJudgeWeights(): LearnedJudgeWeights {
  if (shared) return shared
  const path = fixturePath('judge', LEARNED_JUDGE_FIXTURE)
  let weights: LearnedJudgeWeights
  try {
    weights = JSON.parse(readFileSync(path, 'utf8')) as LearnedJudgeWeights
  } catch (cause) {
    throw new AsteriaError('JUDGE', `Expected the learned judge's weights at ${path}; could not read them (${(cause as Error).message}).`, {
      suggestions: ['Reinstall the package, or rebuild the weights with `npm run train:judge`; meanwhile pass --judge guard.'],
      cause,
    })
  }
  checkFeatures(weights, path)
  shared = weights
  return shared
}

export function checkFeatures(weights: Pick<LearnedJudgeWeights, 'format' | 'features'> & { logistic?: Pick<LogisticWeights, 'features'> }, source: string): void {
  const expected = PAIR_FEATURES.join(',')
  const used = weights.logistic?.features ?? []
  if (weights.format !== 'asteria-learned-judge' || weights.features.join(',') !== expected || !used.every((name) => weights.features.includes(name))) {
    throw new AsteriaError('JUDGE', `The learned judge's weights in ${source} do not match this version's features (expected ${PAIR_FEATURES.length} features: ${expected}; received ${weights.features?.length ?? 0}).`, {
      suggestions: ['Rebuild the weights with `npm run train:judge`, or pass --judge guard.'],
    })
  }
}

/** A short hash of feature rows rounded to 4 decimals: any change in how features are computed changes it. */
export function featureFingerprint(rows: readonly number[][]): string {
  const text = rows.map((r) => r.map((v) => v.toFixed(4)).join(',')).join('\n')
  return createHash('sha1').update(text, 'utf8').digest('hex').slice(0, 16)
}
