import { recallAtPrecision, type ScoredLabel } from './ranking-metrics.js'

/** What the sweep needs of one evaluated pair (src/scoring/pair-eval.ts). */
export interface SweepPair {
  equivalent: boolean
  exact: boolean
  similarity: number
  guardReasons: unknown[]
  judgeScore: number | null
  skippedJudge: boolean
}

export interface SweepPoint {
  threshold: number
  accepted: number
  precision: number | null
  recall: number
}

export interface ThresholdSweep {
  /** The threshold swept: tau_sim without a model judge; tau_judge (at the tau_sim in force) with one. */
  axis: 'tauSim' | 'tauJudge'
  targetPrecision: number
  points: SweepPoint[]
  /** The lowest threshold whose precision meets the target (highest recall); null when none does. */
  recommended: { threshold: number; precision: number; recall: number } | null
}

const ALWAYS = 2 // exact matches (and judge-skipped ones) are accepted at any threshold
const NEVER = -2 // rejected before the swept stage

function sweepScores(pairs: SweepPair[], axis: ThresholdSweep['axis']): ScoredLabel[] {
  return pairs.map((p) => {
    if (p.exact) return { score: ALWAYS, positive: p.equivalent }
    if (axis === 'tauSim') return { score: p.guardReasons.length > 0 ? NEVER : p.similarity, positive: p.equivalent }
    if (p.skippedJudge) return { score: ALWAYS, positive: p.equivalent }
    return { score: p.judgeScore ?? NEVER, positive: p.equivalent }
  })
}

/** Precision and recall at thresholds 0.30..0.99 (tau_sim) or 0.05..0.99 (tau_judge), and the one to use. */
export function sweepThresholds(pairs: SweepPair[], hasJudge: boolean, targetPrecision: number): ThresholdSweep {
  const axis = hasJudge ? 'tauJudge' : 'tauSim'
  const scores = sweepScores(pairs, axis)
  const positives = scores.filter((s) => s.positive).length
  const points: SweepPoint[] = []
  for (let step = axis === 'tauSim' ? 30 : 5; step <= 99; step++) {
    const threshold = step / 100
    const accepted = scores.filter((s) => s.score >= threshold)
    const correct = accepted.filter((s) => s.positive).length
    points.push({ threshold, accepted: accepted.length, precision: accepted.length === 0 ? null : correct / accepted.length, recall: positives === 0 ? 0 : correct / positives })
  }
  const best = recallAtPrecision(scores.filter((s) => s.score > NEVER), targetPrecision)
  const usable = Number.isFinite(best.threshold) && best.recall > 0 && best.threshold < ALWAYS
  const recall = usable ? scores.filter((s) => s.score >= best.threshold && s.positive).length / Math.max(1, positives) : 0
  return {
    axis,
    targetPrecision,
    points,
    recommended: usable ? { threshold: best.threshold, precision: best.precision, recall } : null,
  }
}
