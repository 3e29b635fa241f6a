import type { CurvePoint } from './curve.js'
import type { VariantMetrics, VariantSeries } from './replay-metrics.js'

export type VariantName = 'none' | 'exact' | 'threshold' | 'asteria' | 'oracle'

export interface VariantReport {
  name: VariantName
  description: string
  /** Hit policy of a semantic cache variant (none, guard, ...); null for the others. */
  policy: string | null
  tauSim: number | null
  metrics: VariantMetrics
  series: VariantSeries
}

/** The comparison at matched false-hit rates (DESIGN.md, "Measuring"). */
export interface Headline {
  /** The full pipeline as configured. */
  asteria: CurvePoint
  /** Threshold-only at its best tau_sim whose false-hit rate is at most the full pipeline's; null if none gets that low. */
  thresholdAtAsteriaFalseHitRate: CurvePoint | null
  /** Threshold-only at the customary 0.8. */
  thresholdCustomary: CurvePoint
  /** The full pipeline at its best tau_sim whose false-hit rate is at most threshold-only's at 0.8. */
  asteriaAtThresholdFalseHitRate: CurvePoint | null
  /** How low threshold-only's false-hit rate gets anywhere on its curve. */
  thresholdLowestFalseHitRate: CurvePoint | null
  /** The comparison in sentences, for the terminal and the report. */
  summary: string[]
}

/** `asteria bench --json`: a public shape (snapshot-tested). */
export interface BenchResult {
  trace: {
    name: string
    requests: number
    sessions: number
    labelledRequests: number
    answeredRequests: number
    distinctIntents: number
    distinctWordings: number
  }
  settings: {
    mode: 'closed-loop' | 'open-loop'
    clock: 'simulated' | 'real-time'
    throughput: 'modelled' | 'measured'
    workers: number
    remoteLatencyMs: [number, number]
    priceUsdPerCall: number
    seed: number
    embedder: string
    judge: string
    quick: boolean
    tauGrid: number[]
  }
  variants: VariantReport[]
  curves: { threshold: CurvePoint[]; asteria: CurvePoint[] }
  headline: Headline | null
  notes: string[]
  wallSeconds: number
}
