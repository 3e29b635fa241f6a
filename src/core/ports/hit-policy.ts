import type { DeadlineSettings, Scheduler, TimerSource } from '../scheduler.js'
import type { SemanticElement } from '../semantic-element.js'

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
  /** The look-up stops waiting at this time (on the scheduling timers' clock) and misses; work still queued then is dropped. */
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
  /** How a model judge is scheduled; without it the deadline is the cache's judgeTimeoutMs on the system clock. */
  scheduling?: JudgeScheduling
}

export interface JudgeScheduling {
  /** The judge's budget per look-up: min(cap, fraction x the candidates' recorded remote latency). */
  deadline: Partial<DeadlineSettings>
  /** The judge sees at most this many guard-passing candidates, nearest first. */
  maxCandidates?: number
  /** A guard-passing candidate at or above this similarity is served without asking the judge. */
  skipAboveSimilarity?: number
  /** Where judge requests queue behind the agent's; shared with the agent's chat model. */
  scheduler?: Scheduler
  timers?: TimerSource
}

export const thresholdOnlyPolicy: HitPolicy = { name: 'none', useGuard: false, judge: null }
export const guardPolicy: HitPolicy = { name: 'guard', useGuard: true, judge: null }
