import type { SemanticElement } from '../core/semantic-element.js'

export interface JudgeCandidate {
  element: SemanticElement
  similarity: number
}

export interface JudgeVerdict {
  /** Probability-like score that the stored result answers the new query, 0..1. */
  score: number
  /** Optional short explanation (model output, feature summary). */
  reason?: string
}

export interface JudgeOptions {
  /** Give up (resolve or reject) by this time on the cache's clock; the look-up then misses. */
  deadlineMs: number
  signal?: AbortSignal
}

/**
 * Stage 2 of Sine: does a candidate's stored result answer the new query? Judges see all
 * candidates of one look-up at once so a model-backed judge can batch them.
 */
export interface Judge {
  readonly name: string
  judge(query: string, candidates: JudgeCandidate[], options: JudgeOptions): Promise<JudgeVerdict[]>
}

/**
 * How a look-up decides among candidates that passed the similarity threshold:
 * `none` — similarity only (the GPTCache-style baseline); `guard` — the rule-based guard;
 * a model judge always runs after the guard.
 */
export interface HitPolicy {
  name: string
  useGuard: boolean
  judge: Judge | null
}

export const thresholdOnlyPolicy: HitPolicy = { name: 'none', useGuard: false, judge: null }
export const guardPolicy: HitPolicy = { name: 'guard', useGuard: true, judge: null }
