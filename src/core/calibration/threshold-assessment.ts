import { trialsToCertify, trialsToExcludeOneFailure, wilsonInterval, Z_95 } from './wilson.js'

/** Verified hits are counted in bands of similarity (or judge score) this wide. */
export const BAND_WIDTH = 0.05

export interface BandCount {
  /** Band index: scores in [band * BAND_WIDTH, (band + 1) * BAND_WIDTH). */
  band: number
  verified: number
  wrong: number
}

export type CalibrationStatus = 'certified' | 'not yet certified' | 'below target'

export interface AssessmentSettings {
  /** Share of served hits that must be right, e.g. 0.99. */
  targetPrecision: number
  /** z of the lower bound that certifies the target (default 1.96: 95% two-sided). */
  certifyZ: number
  /** z of the upper bound that, once below the target, raises the threshold (evidence it is too loose). */
  raiseZ: number
  minTau: number
  maxTau: number
}

export interface ThresholdAssessment {
  status: CalibrationStatus
  action: 'raise' | 'lower' | 'hold'
  tau: number
  /** The threshold to use next (= tau when holding). */
  nextTau: number
  /** Verified hits in the bands at or above tau, and how many of them were wrong. */
  verified: number
  wrong: number
  estimate: number | null
  lowerBound: number
  upperBound: number
  /** Verified hits, all right, it would take to certify the target at all. */
  needed: number
  /** Verified hits at or above tau before the threshold may move at all (one wrong check alone never moves it). */
  minimum: number
  reason: string
}

export function bandOf(score: number): number {
  return Math.floor(Math.min(Math.max(score, 0), 1) / BAND_WIDTH + 1e-9)
}

const roundTau = (x: number) => Math.round(x * 1e6) / 1e6
const edgeAbove = (tau: number) => roundTau((bandOf(tau) + 1) * BAND_WIDTH)
const edgeBelow = (tau: number) => roundTau((Math.ceil(tau / BAND_WIDTH - 1e-9) - 1) * BAND_WIDTH)

function tally(bands: BandCount[], tau: number): { verified: number; wrong: number } {
  const from = bandOf(tau)
  let verified = 0
  let wrong = 0
  for (const b of bands) if (b.band >= from) (verified += b.verified), (wrong += b.wrong)
  return { verified, wrong }
}

/**
 * Decides whether a threshold keeps the Wilson lower bound on precision above the target. Nothing
 * moves before `minimum` verified hits at or above tau: the fewest at which one wrong hit still
 * leaves the target inside the 95% interval (18 for 0.99), so a single verification that
 * disagreed by chance never moves the threshold. Then:
 * - raise when the hits at or above tau are evidently below target (their upper bound at raiseZ
 *   under it), or when there are enough of them to certify the target
 *   and their lower bound is still under it, to the first band edge whose hits pass; when none
 *   below maxTau passes, the wrong hits sit at high similarity, where a higher threshold would not
 *   remove them: hold rather than shut semantic hits off;
 * - lower by one band when certified and the band below is certified too, or, with no data
 *   below, when the false-hit bound is at most half what the target allows ("comfortably");
 * - otherwise hold: "not yet certified" while the sample is too small to prove the target.
 */
export function assessThreshold(bands: BandCount[], tau: number, s: AssessmentSettings): ThresholdAssessment {
  const at = tally(bands, tau)
  const ci = wilsonInterval(at.verified - at.wrong, at.verified, s.certifyZ)
  const base = {
    tau,
    verified: at.verified,
    wrong: at.wrong,
    estimate: ci.estimate,
    lowerBound: ci.lower,
    upperBound: ci.upper,
    needed: trialsToCertify(s.targetPrecision, s.certifyZ),
    minimum: trialsToExcludeOneFailure(s.targetPrecision, s.certifyZ),
  }
  if (at.verified < base.minimum) {
    const reason = `${at.wrong} of ${at.verified} verified hits wrong at tau ${tau}: too few to move it (needs ${base.minimum})`
    return { ...base, status: 'not yet certified', action: 'hold', nextTau: tau, reason }
  }
  const tooLoose = (x: number) => {
    const t = tally(bands, x)
    if (t.verified === 0) return false
    const evident = wilsonInterval(t.verified - t.wrong, t.verified, s.raiseZ).upper < s.targetPrecision
    const boundBelow = t.verified >= base.needed && wilsonInterval(t.verified - t.wrong, t.verified, s.certifyZ).lower < s.targetPrecision
    return evident || boundBelow
  }
  if (tooLoose(tau)) {
    let next = edgeAbove(tau)
    while (next < s.maxTau && tooLoose(next)) next = edgeAbove(next)
    const reason = `${at.wrong} of ${at.verified} verified hits wrong at tau ${tau}: ` +
      (at.verified >= base.needed ? `lower bound ${ci.lower.toFixed(4)} below ${s.targetPrecision}` : `precision evidently below ${s.targetPrecision}`)
    if (next < s.maxTau) return { ...base, status: 'below target', action: 'raise', nextTau: next, reason }
    return { ...base, status: 'below target', action: 'hold', nextTau: tau, reason: `${reason}; no higher threshold below ${s.maxTau} passes, so the wrong hits are not at low similarity and a higher one would not remove them` }
  }
  if (at.verified === 0 || ci.lower < s.targetPrecision) {
    return { ...base, status: 'not yet certified', action: 'hold', nextTau: tau, reason: `lower bound ${ci.lower.toFixed(4)} < ${s.targetPrecision} on ${at.verified} verified hits: holding tau ${tau}` }
  }
  const down = edgeBelow(tau)
  if (down >= s.minTau - 1e-9) {
    const below = tally(bands, down)
    const lowerCi = wilsonInterval(below.verified - below.wrong, below.verified, s.certifyZ)
    const dataBelow = below.verified > at.verified
    const comfortable = 1 - ci.lower <= (1 - s.targetPrecision) / 2
    if (dataBelow ? lowerCi.lower >= s.targetPrecision : comfortable) {
      return { ...base, status: 'certified', action: 'lower', nextTau: down, reason: `lower bound ${ci.lower.toFixed(4)} >= ${s.targetPrecision}: trying tau ${down}` }
    }
  }
  return { ...base, status: 'certified', action: 'hold', nextTau: tau, reason: `lower bound ${ci.lower.toFixed(4)} >= ${s.targetPrecision} on ${at.verified} verified hits` }
}

/** Raising and lowering both need 95% evidence: the threshold moves only when the verified hits show the target is missed or met. */
export const DEFAULT_ASSESSMENT: AssessmentSettings = { targetPrecision: 0.99, certifyZ: Z_95, raiseZ: Z_95, minTau: 0.5, maxTau: 0.99 }
