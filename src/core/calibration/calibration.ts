import type { Thresholds } from '../decision.js'
import { AsteriaError } from '../errors.js'
import { DEFAULT_MIN_OVERLAP, resultsAgree } from './result-agreement.js'
import type { LoaderResult } from '../cache/loader.js'
import type { SemanticElement } from '../semantic-element.js'
import {
  assessThreshold,
  bandOf,
  DEFAULT_ASSESSMENT,
  type AssessmentSettings,
  type BandCount,
  type CalibrationStatus,
  type ThresholdAssessment,
} from './threshold-assessment.js'

/** Which score a band counts: the candidate's similarity, or the model judge's score. */
export type CalibrationAxis = 'sim' | 'judge'

export interface CalibrationKey {
  embedder: string
  policy: string
  axis: CalibrationAxis
}

/** The scores of a hit when it was served (null: not known, e.g. no judge ran). */
export interface HitScores {
  similarity: number | null
  judgeScore: number | null
}

export interface ThresholdChange extends Thresholds {
  action: 'raise' | 'lower'
  status: CalibrationStatus
  reason: string
  changedAt: number
}

/** Where calibration keeps its counts and history (SQLite today, the shared tier later). */
export interface CalibrationStore {
  addOutcome(key: CalibrationKey, band: number, wrong: boolean): Promise<void>
  bands(key: CalibrationKey): Promise<BandCount[]>
  /** Puts new thresholds in force and appends them to the history, atomically. */
  changeThresholds(embedder: string, policy: string, change: ThresholdChange): Promise<void>
  /** Newest first. */
  history(embedder: string, policy: string, limit?: number): Promise<ThresholdChange[]>
  /** The scores of an element's latest hit, so later feedback lands in the right band. */
  rememberHit(elementId: number, scores: HitScores, now: number): Promise<void>
  hitScores(elementId: number): Promise<HitScores | undefined>
  /** Forgets every count, calibrated threshold and change: thresholds go back to their configured or default values. */
  reset(): Promise<{ verified: number; changes: number }>
}

export interface VerificationRequest extends HitScores {
  query: string
  tool: string
  args: Record<string, unknown>
  namespace: string
}

/** Calls the real source for a request that was served from the cache (a real, counted remote call). */
export type Verifier = (element: SemanticElement, request: VerificationRequest) => Promise<LoaderResult>

export interface CalibrationOptions {
  /** Share of served hits that must be right; default 0.99 (a 1% false-hit rate). */
  targetPrecision?: number
  /** Share of semantic hits verified against the source; default 0.05 with a verifier, else 0. */
  sampleShare?: number
  verify?: Verifier
  /** Uniform [0, 1) draws for sampling; inject a seeded one for replays. */
  random?: () => number
  /** Whether a served result matches a fresh one; default: the overlap coefficient of document ids >= minOverlap (result-agreement.ts). */
  agree?: (served: unknown, fresh: unknown) => boolean
  minOverlap?: number
  /** Bounds and confidence of the threshold rule (threshold-assessment.ts). */
  raiseZ?: number
  certifyZ?: number
  minTau?: number
  maxTau?: number
}

export interface CalibrationHost {
  embedder: string
  policy: string
  /** A model judge decides hits: tau_judge is calibrated, tau_sim left alone. */
  usesJudge: boolean
  now(): number
  thresholds(): Promise<Thresholds>
  thresholdsChanged(): void
  count(namespace: string, deltas: Record<string, number>): Promise<void>
  schedule(job: () => Promise<void>): boolean
  /** Stores a verification's fresh result for the question it answered (a wrong hit's element never came to exist). */
  storeFresh(request: VerificationRequest, fresh: LoaderResult): Promise<void>
}

export interface CalibrationReport extends ThresholdAssessment {
  targetPrecision: number
  axis: CalibrationAxis
  lastChange: ThresholdChange | null
}

export function assessmentSettings(options: CalibrationOptions): AssessmentSettings {
  const s = { ...DEFAULT_ASSESSMENT }
  if (options.targetPrecision !== undefined) s.targetPrecision = options.targetPrecision
  if (options.certifyZ !== undefined) s.certifyZ = options.certifyZ
  if (options.raiseZ !== undefined) s.raiseZ = options.raiseZ
  if (options.minTau !== undefined) s.minTau = options.minTau
  if (options.maxTau !== undefined) s.maxTau = options.maxTau
  if (!(s.targetPrecision > 0 && s.targetPrecision < 1)) {
    throw new AsteriaError('CONFIG', `Expected the target precision to be above 0 and below 1, received ${s.targetPrecision}.`, {
      suggestions: ['Use e.g. 0.99 for at most 1 wrong hit in 100.'],
    })
  }
  return s
}

/** Counts one verified hit in its band on each axis it has a score for (unknown similarity: the band of tau_sim). */
export async function countVerifiedHit(store: CalibrationStore, embedder: string, policy: string, scores: HitScores, thresholds: Thresholds, wrong: boolean): Promise<void> {
  await store.addOutcome({ embedder, policy, axis: 'sim' }, bandOf(scores.similarity ?? thresholds.tauSim), wrong)
  if (scores.judgeScore !== null) await store.addOutcome({ embedder, policy, axis: 'judge' }, bandOf(scores.judgeScore), wrong)
}

/** The calibration state as `asteria cache stats` shows it: estimate, bound, sample, status. */
export async function describeCalibration(
  store: CalibrationStore,
  key: CalibrationKey,
  thresholds: Thresholds,
  settings: AssessmentSettings,
): Promise<CalibrationReport> {
  const tau = key.axis === 'judge' ? thresholds.tauJudge : thresholds.tauSim
  const assessment = assessThreshold(await store.bands(key), tau, settings)
  const [lastChange] = await store.history(key.embedder, key.policy, 1)
  return { ...assessment, targetPrecision: settings.targetPrecision, axis: key.axis, lastChange: lastChange ?? null }
}

/**
 * Self-calibration (DESIGN.md): verifies a random share of semantic hits against the real source
 * off the critical path, counts them per band, and moves the threshold so the Wilson lower bound
 * on precision stays above the target, holding it while the sample cannot certify anything yet.
 */
export class Calibrator {
  readonly settings: AssessmentSettings
  private readonly sampleShare: number
  private readonly random: () => number
  private serial: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly options: CalibrationOptions,
    private readonly store: CalibrationStore,
    private readonly host: CalibrationHost,
  ) {
    this.settings = assessmentSettings(options)
    this.sampleShare = options.sampleShare ?? (options.verify ? 0.05 : 0)
    this.random = options.random ?? Math.random
    if (!(this.sampleShare >= 0 && this.sampleShare <= 1)) {
      throw new AsteriaError('CONFIG', `Expected the verified share of hits to be from 0 to 1, received ${this.sampleShare}.`)
    }
    if (this.sampleShare > 0 && !options.verify) {
      throw new AsteriaError('CONFIG', `Verifying ${this.sampleShare} of hits needs a verify function that calls the real source.`, {
        suggestions: ['Pass calibration.verify, or set sampleShare to 0 to calibrate from feedback only.'],
      })
    }
  }

  get axis(): CalibrationAxis {
    return this.host.usesJudge ? 'judge' : 'sim'
  }

  /** After a semantic hit: draws whether to verify it; if so, verification runs in the background. */
  sample(element: SemanticElement, request: VerificationRequest): void {
    if (this.sampleShare === 0 || this.random() >= this.sampleShare) return
    if (!this.host.schedule(() => this.verify(element, request))) void this.host.count(request.namespace, { verifications_dropped: 1 })
  }

  /** Counts one verified hit and moves the threshold when the evidence says so; one at a time. */
  record(namespace: string, scores: HitScores, wrong: boolean): Promise<ThresholdAssessment> {
    const next = this.serial.then(() => this.recordNow(namespace, scores, wrong))
    this.serial = next.catch(() => undefined)
    return next
  }

  async report(): Promise<CalibrationReport> {
    return describeCalibration(this.store, this.key(), await this.host.thresholds(), this.settings)
  }

  private key(): CalibrationKey {
    return { embedder: this.host.embedder, policy: this.host.policy, axis: this.axis }
  }

  private async verify(element: SemanticElement, request: VerificationRequest): Promise<void> {
    let fresh: LoaderResult
    try {
      fresh = await this.options.verify!(element, request)
    } catch (error) {
      await this.host.count(request.namespace, { verification_errors: 1 })
      throw error
    }
    const cost = fresh.costUsd ?? 0
    await this.host.count(request.namespace, { verifications: 1, verification_cost_usd: cost, remote_calls: 1, cost_spent_usd: cost })
    const agree = (this.options.agree ?? ((a, b) => resultsAgree(a, b, this.options.minOverlap ?? DEFAULT_MIN_OVERLAP)))(element.result, fresh.result)
    await this.record(request.namespace, request, !agree)
    // Otherwise paraphrases of this question would keep landing on the wrong element after tau rises.
    if (!agree) await this.host.storeFresh(request, fresh)
  }

  private async recordNow(namespace: string, scores: HitScores, wrong: boolean): Promise<ThresholdAssessment> {
    const thresholds = await this.host.thresholds()
    await countVerifiedHit(this.store, this.host.embedder, this.host.policy, scores, thresholds, wrong)
    await this.host.count(namespace, { verified: 1, verified_wrong: wrong ? 1 : 0 })
    const tauKey = this.axis === 'judge' ? 'tauJudge' : 'tauSim'
    const assessment = assessThreshold(await this.store.bands(this.key()), thresholds[tauKey], this.settings)
    if (assessment.action !== 'hold') {
      const name = this.axis === 'judge' ? 'tau_judge' : 'tau_sim'
      await this.store.changeThresholds(this.host.embedder, this.host.policy, {
        ...thresholds,
        [tauKey]: assessment.nextTau,
        action: assessment.action,
        status: assessment.status,
        reason: `${name} ${thresholds[tauKey]} -> ${assessment.nextTau} after ${assessment.verified} verified hits, ${assessment.wrong} wrong (${assessment.reason})`,
        changedAt: this.host.now(),
      })
      this.host.thresholdsChanged()
    }
    return assessment
  }
}
