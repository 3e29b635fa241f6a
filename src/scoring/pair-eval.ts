import type { AsteriaConfig } from '../config/config.js'
import { elapsedMs, startTimer } from '../core/clock.js'
import type { Thresholds } from '../core/decision.js'
import { AsteriaError } from '../core/errors.js'
import { checkGuard, readQuestion, type GuardReasonKind, type GuardResources } from '../core/guard/guard.js'
import { normalizeQuery } from '../core/normalize.js'
import type { SemanticElement } from '../core/semantic-element.js'
import { defaultThresholds } from '../core/calibration/thresholds.js'
import { embedderFromConfig } from '../embed/create-embedder.js'
import { shippedGuardResources } from '../embed/guard-resources.js'
import type { Embedder } from '../core/ports/embedder.js'
import { cosineSimilarity } from '../core/util/vectors.js'
import { resolveJudge } from '../judge/create-policy.js'
import type { HitPolicy } from '../core/ports/hit-policy.js'
import { judgeSettingsFrom } from '../config/judge-config.js'
import { rocAuc } from './ranking-metrics.js'
import { readPairsFile, selectPairs, type LabelledPair, type PairSelection } from './pairs-file.js'
import { sweepThresholds, type ThresholdSweep } from './threshold-sweep.js'

export interface PairEvalOptions {
  embedder: Embedder
  policy: HitPolicy
  thresholds: Thresholds
  /** What the guard reads questions with (default: the shipped name lexicon, no word vectors). */
  guard?: GuardResources
  /** Print precision/recall across thresholds and recommend one for `targetPrecision`. */
  sweep?: boolean
  targetPrecision?: number
  /** Called after each pair (progress on stderr). */
  onPair?: (done: number, total: number) => void
}

export interface ScoredPair {
  equivalent: boolean
  category?: string
  exact: boolean
  similarity: number
  guardReasons: GuardReasonKind[]
  /** The judge's score, when the pair reached the judge and it answered. */
  judgeScore: number | null
  judgeError: string | null
  /** Served without the judge: similarity at or above the policy's skip band. */
  skippedJudge: boolean
  accepted: boolean
  ms: { embed: number; guard: number; judge: number; total: number }
}

export interface Confusion {
  truePositives: number
  falsePositives: number
  trueNegatives: number
  falseNegatives: number
}

export interface Distribution {
  mean: number
  p50: number
  p95: number
  max: number
}

export interface PairEvalReport {
  pairs: number
  positives: number
  negatives: number
  embedder: string
  policy: string
  judge: string | null
  thresholds: Thresholds
  confusion: Confusion
  /** Of the pairs accepted as equivalent, the share that are (1 - false-hit rate). null when none accepted. */
  precision: number | null
  recall: number | null
  f1: number | null
  falsePositiveRate: number | null
  rocAuc: {
    /** Cosine similarity alone. */
    similarity: number | null
    /** The pipeline's score before the last threshold: similarity, or -1 when the guard rejects. */
    acceptance: number | null
    /** The judge's score over the pairs it scored (those that passed tau_sim and the guard). */
    judge: number | null
    judgedPairs: number
  }
  guardRejections: number
  guardReasons: Partial<Record<GuardReasonKind, number>>
  /** Per category of the pairs file (when its lines name one): how many pairs, how many accepted, precision and recall. */
  categories?: Record<string, CategoryReport>
  judgeErrors: number
  judgeSkipped: number
  /** Per pair, ms: the whole decision, and its stages. */
  latencyMs: { total: Distribution; embed: Distribution; guard: Distribution; judge: Distribution }
  sweep?: ThresholdSweep
}

export interface CategoryReport {
  pairs: number
  positives: number
  negatives: number
  accepted: number
  /** Of accepted pairs, the share equivalent (null when none accepted). */
  precision: number | null
  /** Of equivalent pairs, the share accepted (null when the category has none). */
  recall: number | null
}

function categoryReports(scored: ScoredPair[]): Record<string, CategoryReport> | undefined {
  const names = [...new Set(scored.map((p) => p.category).filter((c): c is string => c !== undefined))].sort()
  if (names.length === 0) return undefined
  return Object.fromEntries(names.map((name) => {
    const of = scored.filter((p) => p.category === name)
    const accepted = of.filter((p) => p.accepted)
    const positives = of.filter((p) => p.equivalent).length
    const right = accepted.filter((p) => p.equivalent).length
    return [name, { pairs: of.length, positives, negatives: of.length - positives, accepted: accepted.length, precision: ratio(right, accepted.length), recall: ratio(right, positives) }]
  }))
}

const FAR_FUTURE_MS = 8.64e15 // evaluation measures quality: no deadline

async function scorePair(pair: LabelledPair, options: PairEvalOptions): Promise<ScoredPair> {
  const { policy, thresholds } = options
  const started = startTimer()
  const exact = normalizeQuery(pair.a) === normalizeQuery(pair.b)
  let t = startTimer()
  // What the cache embeds: with the guard, the question as it reads it (self-corrections removed).
  const asked = (text: string) => (policy.useGuard ? readQuestion(text, options.guard).repaired || text : text)
  const [va, vb] = await options.embedder.embed([asked(pair.a), asked(pair.b)])
  const embed = elapsedMs(t)
  const similarity = cosineSimilarity(va, vb)
  t = startTimer()
  const guardReasons = policy.useGuard ? checkGuard(pair.a, pair.b, options.guard).reasons.map((r) => r.kind) : []
  const guard = elapsedMs(t)
  const candidate = similarity >= thresholds.tauSim && guardReasons.length === 0
  const band = policy.scheduling?.skipAboveSimilarity
  const skippedJudge = policy.judge !== null && candidate && !exact && band !== undefined && similarity >= band
  let judgeScore: number | null = null
  let judgeError: string | null = null
  t = startTimer()
  if (policy.judge && candidate && !exact && !skippedJudge) {
    const element = { id: 0, query: pair.b, normalizedQuery: normalizeQuery(pair.b), embedder: options.embedder.fingerprint, result: null, latencyMs: 0 } as SemanticElement
    try {
      const [verdict] = await policy.judge.judge(pair.a, [{ element, similarity }], { deadlineMs: FAR_FUTURE_MS })
      judgeScore = verdict.score
    } catch (error) {
      judgeError = (error as Error).message
    }
  }
  const judge = elapsedMs(t)
  const judged = policy.judge === null || skippedJudge || (judgeScore !== null && judgeScore >= thresholds.tauJudge)
  const accepted = exact || (candidate && judged)
  return { equivalent: pair.equivalent, ...(pair.category ? { category: pair.category } : {}), exact, similarity, guardReasons, judgeScore, judgeError, skippedJudge, accepted, ms: { embed, guard, judge, total: elapsedMs(started) } }
}

function distribution(values: number[]): Distribution {
  const sorted = [...values].sort((x, y) => x - y)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  return { mean: sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length), p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? 0 }
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d)
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null)

/** Precision, recall and their company for one embedder + hit policy + thresholds on labelled pairs. */
export async function evaluatePairs(pairs: LabelledPair[], options: PairEvalOptions): Promise<PairEvalReport> {
  const scored: ScoredPair[] = []
  for (const pair of pairs) {
    scored.push(await scorePair(pair, options))
    options.onPair?.(scored.length, pairs.length)
  }
  const count = (test: (p: ScoredPair) => boolean) => scored.filter(test).length
  const confusion: Confusion = {
    truePositives: count((p) => p.accepted && p.equivalent),
    falsePositives: count((p) => p.accepted && !p.equivalent),
    trueNegatives: count((p) => !p.accepted && !p.equivalent),
    falseNegatives: count((p) => !p.accepted && p.equivalent),
  }
  const { truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn } = confusion
  const precision = ratio(tp, tp + fp)
  const recall = ratio(tp, tp + fn)
  const judged = scored.filter((p) => p.judgeScore !== null)
  const guardReasons: Partial<Record<GuardReasonKind, number>> = {}
  for (const p of scored) for (const kind of new Set(p.guardReasons)) guardReasons[kind] = (guardReasons[kind] ?? 0) + 1
  const acceptance = scored.map((p) => ({ score: p.exact ? 2 : p.guardReasons.length > 0 ? -1 : p.similarity, positive: p.equivalent }))
  const report: PairEvalReport = {
    pairs: scored.length,
    positives: count((p) => p.equivalent),
    negatives: count((p) => !p.equivalent),
    embedder: options.embedder.fingerprint,
    policy: options.policy.name,
    judge: options.policy.judge?.name ?? null,
    thresholds: options.thresholds,
    confusion,
    precision,
    recall,
    f1: precision === null || recall === null || precision + recall === 0 ? null : (2 * precision * recall) / (precision + recall),
    falsePositiveRate: ratio(fp, fp + tn),
    rocAuc: {
      similarity: finite(rocAuc(scored.map((p) => ({ score: p.similarity, positive: p.equivalent })))),
      acceptance: finite(rocAuc(acceptance)),
      judge: finite(rocAuc(judged.map((p) => ({ score: p.judgeScore!, positive: p.equivalent })))),
      judgedPairs: judged.length,
    },
    guardRejections: count((p) => p.guardReasons.length > 0),
    guardReasons,
    ...(categoryReports(scored) ? { categories: categoryReports(scored) } : {}),
    judgeErrors: count((p) => p.judgeError !== null),
    judgeSkipped: count((p) => p.skippedJudge),
    latencyMs: {
      total: distribution(scored.map((p) => p.ms.total)),
      embed: distribution(scored.map((p) => p.ms.embed)),
      guard: distribution(scored.map((p) => p.ms.guard)),
      judge: distribution(judged.map((p) => p.ms.judge)),
    },
  }
  if (options.sweep) report.sweep = sweepThresholds(scored, options.policy.judge !== null, options.targetPrecision ?? 0.99)
  return report
}

export interface JudgeEvalRequest {
  pairsPath: string
  split: PairSelection
  sweep?: boolean
  targetPrecision?: number
  /** Evaluate at most this many pairs (after the split), in file order. */
  limit?: number
  onPair?: (done: number, total: number) => void
}

export interface JudgeEvalResult extends PairEvalReport {
  file: string
  split: PairSelection
  /** What `--judge auto` found, when it had something to say. */
  notice?: string
}

/** `asteria judge eval`: the configured embedder, judge and thresholds on a pairs file. */
export async function runJudgeEval(config: AsteriaConfig, request: JudgeEvalRequest): Promise<JudgeEvalResult> {
  const selected = selectPairs(readPairsFile(request.pairsPath), request.split)
  const pairs = request.limit === undefined ? selected : selected.slice(0, request.limit)
  if (pairs.length === 0) {
    throw new AsteriaError('BAD_INPUT', `No pairs of ${request.pairsPath} fall in the ${request.split} split.`, { suggestions: ['Pass --split all.'] })
  }
  const embedder = await embedderFromConfig(config)
  const choice = await resolveJudge(judgeSettingsFrom(config))
  const defaults = defaultThresholds(embedder.fingerprint, choice.policy.name)
  const thresholds = { tauSim: config.tauSim ?? defaults.tauSim, tauJudge: config.tauJudge ?? defaults.tauJudge }
  const report = await evaluatePairs(pairs, {
    embedder,
    policy: choice.policy,
    thresholds,
    guard: shippedGuardResources(),
    sweep: request.sweep,
    targetPrecision: request.targetPrecision,
    onPair: request.onPair,
  })
  return { file: request.pairsPath, split: request.split, ...(choice.notice ? { notice: choice.notice } : {}), ...report }
}
