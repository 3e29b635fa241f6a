import type { GuardVerdict } from './guard/guard.js'

export type CandidateOutcome =
  | 'hit'
  | 'below-threshold'
  | 'guard-rejected'
  | 'judge-rejected'
  | 'judge-late'
  | 'judge-error'
  | 'older-than-max-age'
  | 'passed'

/** What happened to one nearest neighbour during a look-up. */
export interface CandidateVerdict {
  id: number
  query: string
  similarity: number
  guard: GuardVerdict | null
  judgeScore: number | null
  outcome: CandidateOutcome
}

export interface JudgeRecord {
  name: string
  score: number | null
  verdict: 'yes' | 'no' | 'late' | 'error'
  ms: number
  error?: string
  /** The judge's own account of its top verdict, e.g. how it scored it. */
  reason?: string
}

export interface Thresholds {
  /** Minimum cosine similarity for a candidate to be considered. */
  tauSim: number
  /** Minimum judge score for a hit (when a model judge runs). */
  tauJudge: number
}

export interface StageTimings {
  normalizeMs: number
  embedMs: number
  searchMs: number
  guardMs: number
  judgeMs: number
  totalMs: number
}

export type DecisionKind = 'exact' | 'semantic' | 'miss' | 'bypass'

/**
 * Why a look-up hit or missed: every look-up returns one, so a user can always see which
 * candidate was considered, what the guard and judge said, and under which thresholds.
 */
export interface DecisionRecord {
  hit: boolean
  kind: DecisionKind
  elementId: number | null
  similarity: number | null
  guard: GuardVerdict | null
  judge: JudgeRecord | null
  policy: string
  thresholds: Thresholds
  timings: StageTimings
  candidates: CandidateVerdict[]
  reason: string
}

export function emptyTimings(): StageTimings {
  return { normalizeMs: 0, embedMs: 0, searchMs: 0, guardMs: 0, judgeMs: 0, totalMs: 0 }
}
