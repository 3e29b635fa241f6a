import type { TraceRequest } from '../../src/bench/trace-request.js'
import { Z_95 } from '../../src/core/calibration/wilson.js'
import { seededRandom } from '../../src/core/util/seeded-random.js'
import { replay, summarize, type ReplaySettings, type RequestOutcome, type SliceSummary } from './replay.js'

export interface CalibrationRun {
  label: string
  /** tau_sim at the start, and in force at the end. */
  startTau: number
  finalTau: number
  secondHalf: SliceSummary
  /** False-hit rate in each quarter of the trace, and tau_sim at the end of each: how they move over time. */
  quarters: number[]
  tauByQuarter: number[]
  missCostUsd: number
  verifyCalls: number
  verifyCostUsd: number
  totalCostUsd: number
  status: string | null
}

export interface CalibrationAblation {
  targetPrecision: number
  fixed: CalibrationRun[]
  calibrated: CalibrationRun[]
  /** Per calibrated run: the goals of the issue, checked. */
  verdicts: {
    label: string
    /** Allowed second-half false-hit rate: (1 - target) + 1.96 * sqrt(target (1 - target) / hits). */
    limit: number
    withinLimit: boolean
    bestFixed: { tau: number; correctHits: number; falseHitRate: number }
    correctShare: number
    keepsEnough: boolean
  }[]
}

export interface CalibrationAblationOptions {
  startTau: number
  targetPrecision: number
  sampleShares: number[]
  sweep: number[]
  /** One calibrating run per share and seed of the sampling draws. */
  seeds: number[]
}

/**
 * Calibration on vs off from a deliberately loose threshold: fixed thresholds (the sweep, the
 * loose one included) against calibrating runs that start loose, each share of hits verified.
 */
export async function calibrationAblation(requests: readonly TraceRequest[], settings: Omit<ReplaySettings, 'tauSim' | 'calibration'>, o: CalibrationAblationOptions): Promise<CalibrationAblation> {
  const fixed: CalibrationRun[] = []
  for (const tau of o.sweep) fixed.push(runOf(`fixed ${tau}`, tau, await replay(requests, { ...settings, tauSim: tau })))
  const calibrated: CalibrationRun[] = []
  for (const share of o.sampleShares) {
    for (const seed of o.seeds) {
      const report = await replay(requests, {
        ...settings,
        tauSim: o.startTau,
        calibration: { targetPrecision: o.targetPrecision, sampleShare: share, random: seededRandom(seed) },
      })
      calibrated.push(runOf(`calibrated, ${share * 100}% verified, seed ${seed}`, o.startTau, report))
    }
  }
  const verdicts = calibrated.map((run) => {
    const allowed = 1 - o.targetPrecision
    const limit = allowed + Z_95 * Math.sqrt((o.targetPrecision * allowed) / Math.max(1, run.secondHalf.hits))
    const eligible = fixed.filter((f) => f.secondHalf.falseHitRate <= run.secondHalf.falseHitRate)
    const pool = eligible.length ? eligible : [fixed.reduce((a, b) => (b.secondHalf.falseHitRate < a.secondHalf.falseHitRate ? b : a))]
    const best = pool.reduce((a, b) => (b.secondHalf.correctHits > a.secondHalf.correctHits ? b : a))
    const correctShare = run.secondHalf.correctHits / best.secondHalf.correctHits
    return {
      label: run.label,
      limit,
      withinLimit: run.secondHalf.falseHitRate <= limit,
      bestFixed: { tau: best.startTau, correctHits: best.secondHalf.correctHits, falseHitRate: best.secondHalf.falseHitRate },
      correctShare,
      keepsEnough: correctShare >= 0.8,
    }
  })
  return { targetPrecision: o.targetPrecision, fixed, calibrated, verdicts }
}

function runOf(label: string, startTau: number, report: Awaited<ReturnType<typeof replay>>): CalibrationRun {
  const n = report.outcomes.length
  const misses = report.tools.spent('miss')
  const verify = report.tools.spent('verify')
  const slice = (from: number, to: number) => report.outcomes.slice(Math.floor(from * n), Math.floor(to * n))
  return {
    label,
    startTau,
    finalTau: report.finalTauSim,
    secondHalf: summarize(slice(0.5, 1)),
    quarters: [0, 0.25, 0.5, 0.75].map((q) => falseHitRate(slice(q, q + 0.25))),
    tauByQuarter: [0.25, 0.5, 0.75, 1].map((q) => report.outcomes[Math.floor(q * n) - 1].tauSim),
    missCostUsd: misses.costUsd,
    verifyCalls: verify.calls,
    verifyCostUsd: verify.costUsd,
    totalCostUsd: misses.costUsd + verify.costUsd,
    status: report.stats.calibration && verify.calls > 0 ? report.stats.calibration.status : null,
  }
}

const falseHitRate = (outcomes: RequestOutcome[]) => summarize(outcomes).falseHitRate
