import type { VariantMetrics } from './replay-metrics.js'

/** One replay of a semantic variant at one tau_sim: a point on its precision/recall curve. */
export interface CurvePoint {
  tauSim: number
  hits: number
  hitRate: number
  correctHits: number
  hitsBeyondExactRepeats: number
  falseHitRate: number | null
  /** 1 - false-hit rate. */
  precision: number | null
  /** Correct hits as a share of the oracle's. */
  recall: number | null
}

/** GPTCache's customary similarity threshold: the baseline as people run it. */
export const CUSTOMARY_TAU_SIM = 0.8

/** tau_sim values a curve is traced at: 0.5 to 0.98 (every 0.04), or a coarse grid for --quick; plus the ones that must be on it. */
export function tauGrid(quick: boolean, include: readonly number[] = []): number[] {
  const base = quick ? [0.6, 0.7, 0.8, 0.9, 0.95] : Array.from({ length: 13 }, (_, i) => Math.round((0.5 + i * 0.04) * 100) / 100)
  const extra = include.filter((t) => !base.some((b) => Math.abs(b - t) < 1e-9))
  return [...base, ...new Set(extra)].sort((a, b) => a - b)
}

export function curvePoint(tauSim: number, m: VariantMetrics): CurvePoint {
  return {
    tauSim,
    hits: m.hits,
    hitRate: m.hitRate,
    correctHits: m.correctHits,
    hitsBeyondExactRepeats: m.hitsBeyondExactRepeats,
    falseHitRate: m.falseHitRate,
    precision: m.falseHitRate === null ? null : 1 - m.falseHitRate,
    recall: m.oracleShare,
  }
}

/**
 * The best a curve does without exceeding a false-hit rate: its point with the highest hit rate
 * among those whose false-hit rate is at most `target`. Null when no point gets that low.
 */
export function bestAtFalseHitRate(curve: readonly CurvePoint[], target: number): CurvePoint | null {
  let best: CurvePoint | null = null
  for (const point of curve) {
    if (point.falseHitRate === null || point.falseHitRate > target + 1e-12) continue
    if (!best || point.hitRate > best.hitRate) best = point
  }
  return best
}

/** The point with the lowest false-hit rate (ties: the higher hit rate), to say how close a curve gets. */
export function lowestFalseHitRate(curve: readonly CurvePoint[]): CurvePoint | null {
  let best: CurvePoint | null = null
  for (const point of curve) {
    if (point.falseHitRate === null) continue
    if (!best || point.falseHitRate < best.falseHitRate! || (point.falseHitRate === best.falseHitRate && point.hitRate > best.hitRate)) best = point
  }
  return best
}
