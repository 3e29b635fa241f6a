import type { CacheStore, NearestCandidate } from './cache-store.js'
import type { Clock } from './clock.js'
import { elapsedMs, startTimer } from './clock.js'
import type { CandidateVerdict, DecisionRecord, JudgeRecord, Thresholds } from './decision.js'
import { emptyTimings } from './decision.js'
import { checkGuard } from './guard.js'
import { extractQueryFacts, type EntityLexicon } from './query-facts.js'
import type { SemanticElement } from './semantic-element.js'
import type { HitPolicy, JudgeVerdict } from '../judge/judge.js'

export interface SineRequest {
  query: string
  normalizedQuery: string
  scopeKey: string
  embedder: string
  /** The query's vector; computed by the caller (embedding is async and may be shared). */
  embedding: () => Promise<Float32Array>
  /** Ignore elements created before this time (a per-request max-age). */
  notBefore?: number
}

export interface SineContext {
  store: CacheStore
  clock: Clock
  policy: HitPolicy
  thresholds: Thresholds
  k: number
  lexicon?: EntityLexicon
  /** Wall-clock ms a model judge may take before the look-up becomes a miss. */
  judgeTimeoutMs: number
  /** Receives a judge verdict that arrived after its deadline (calibration uses it). */
  onLateVerdict?: (query: string, candidate: SemanticElement, verdict: JudgeVerdict) => void
}

export interface SineResult {
  decision: DecisionRecord
  element: SemanticElement | null
  embedding: Float32Array | null
}

/**
 * The two-stage look-up (DESIGN.md, "Sine"): an exact normalised match; else the k nearest
 * elements in scope above tau_sim, each checked by the guard and then the judge.
 */
export async function sineLookup(request: SineRequest, ctx: SineContext): Promise<SineResult> {
  const started = startTimer()
  const timings = emptyTimings()
  const base = { policy: ctx.policy.name, thresholds: ctx.thresholds, timings, guard: null, judge: null }
  const now = ctx.clock.now()
  const fresh = (e: SemanticElement) => request.notBefore === undefined || e.createdAt >= request.notBefore

  let t = startTimer()
  const exact = await ctx.store.findExact(request.scopeKey, request.normalizedQuery, now)
  timings.normalizeMs = elapsedMs(t)
  if (exact && fresh(exact)) {
    timings.totalMs = elapsedMs(started)
    return {
      decision: { ...base, hit: true, kind: 'exact', elementId: exact.id, similarity: 1, candidates: [], reason: 'exact match after normalisation' },
      element: exact,
      embedding: null,
    }
  }

  t = startTimer()
  const embedding = await request.embedding()
  timings.embedMs = elapsedMs(t)
  t = startTimer()
  const neighbours = await ctx.store.nearest(request.embedder, request.scopeKey, embedding, ctx.k, now)
  timings.searchMs = elapsedMs(t)

  const verdicts: CandidateVerdict[] = neighbours.map(({ element, similarity }) => ({
    id: element.id,
    query: element.query,
    similarity,
    guard: null,
    judgeScore: null,
    outcome: similarity < ctx.thresholds.tauSim ? 'below-threshold' : fresh(element) ? 'passed' : 'older-than-max-age',
  }))
  const eligible = neighbours.filter((_, i) => verdicts[i].outcome === 'passed')

  t = startTimer()
  let passed: NearestCandidate[] = eligible
  if (ctx.policy.useGuard && eligible.length > 0) {
    const facts = extractQueryFacts(request.query, ctx.lexicon)
    passed = eligible.filter((candidate) => {
      const verdict = verdicts.find((v) => v.id === candidate.element.id)!
      verdict.guard = checkGuard(facts, candidate.element.query, ctx.lexicon)
      if (!verdict.guard.pass) verdict.outcome = 'guard-rejected'
      return verdict.guard.pass
    })
  }
  timings.guardMs = elapsedMs(t)

  let judge: JudgeRecord | null = null
  let chosen: NearestCandidate | undefined = passed[0]
  if (ctx.policy.judge && passed.length > 0) {
    t = startTimer()
    const outcome = await judgeWithDeadline(request.query, passed, ctx)
    timings.judgeMs = elapsedMs(t)
    chosen = undefined
    if (outcome.kind === 'verdicts') {
      let best = -1
      outcome.verdicts.forEach((verdict, i) => {
        const record = verdicts.find((v) => v.id === passed[i].element.id)!
        record.judgeScore = verdict.score
        record.outcome = verdict.score >= ctx.thresholds.tauJudge ? 'passed' : 'judge-rejected'
        if (verdict.score >= ctx.thresholds.tauJudge && verdict.score > best) {
          best = verdict.score
          chosen = passed[i]
        }
      })
      const top = Math.max(...outcome.verdicts.map((v) => v.score))
      judge = { name: ctx.policy.judge.name, score: top, verdict: chosen ? 'yes' : 'no', ms: timings.judgeMs }
    } else {
      for (const c of passed) verdicts.find((v) => v.id === c.element.id)!.outcome = outcome.kind === 'late' ? 'judge-late' : 'judge-error'
      judge = { name: ctx.policy.judge.name, score: null, verdict: outcome.kind, ms: timings.judgeMs, error: outcome.message }
    }
  }

  timings.totalMs = elapsedMs(started)
  const top = neighbours[0]
  if (!chosen) {
    const best = verdicts[0]
    return {
      decision: {
        ...base,
        judge,
        hit: false,
        kind: 'miss',
        elementId: null,
        similarity: top?.similarity ?? null,
        guard: best?.guard ?? null,
        candidates: verdicts,
        reason: missReason(verdicts, ctx.thresholds, judge),
      },
      element: null,
      embedding,
    }
  }
  const record = verdicts.find((v) => v.id === chosen!.element.id)!
  record.outcome = 'hit'
  return {
    decision: {
      ...base,
      judge,
      hit: true,
      kind: 'semantic',
      elementId: chosen.element.id,
      similarity: chosen.similarity,
      guard: record.guard,
      candidates: verdicts,
      reason: `semantic match (similarity ${chosen.similarity.toFixed(3)} >= ${ctx.thresholds.tauSim}` +
        (record.guard ? ', guard passed' : '') +
        (record.judgeScore !== null ? `, judge ${record.judgeScore.toFixed(2)} >= ${ctx.thresholds.tauJudge}` : '') + ')',
    },
    element: chosen.element,
    embedding,
  }
}

function missReason(verdicts: CandidateVerdict[], thresholds: Thresholds, judge: JudgeRecord | null): string {
  if (verdicts.length === 0) return 'no element in this scope'
  const best = verdicts[0]
  if (best.outcome === 'below-threshold') {
    return `nearest element's similarity ${best.similarity.toFixed(3)} is below tau_sim ${thresholds.tauSim}`
  }
  const rejected = verdicts.find((v) => v.outcome === 'guard-rejected')
  if (judge?.verdict === 'late') return `the judge did not answer within its deadline (${judge.ms.toFixed(0)} ms)`
  if (judge?.verdict === 'error') return `the judge failed (${judge.error ?? 'error'}), so the look-up misses`
  if (judge?.verdict === 'no') return `the judge rejected every candidate (best score ${judge.score?.toFixed(2)} < ${thresholds.tauJudge})`
  if (best.outcome === 'older-than-max-age') return 'the matching element is older than the requested max-age'
  if (rejected?.guard) return `guard rejected: ${rejected.guard.reasons.map((r) => r.detail).join('; ')}`
  return 'no candidate passed'
}

type JudgeOutcome =
  | { kind: 'verdicts'; verdicts: JudgeVerdict[] }
  | { kind: 'late'; message: string }
  | { kind: 'error'; message: string }

async function judgeWithDeadline(query: string, candidates: NearestCandidate[], ctx: SineContext): Promise<JudgeOutcome> {
  const judge = ctx.policy.judge!
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const work = judge.judge(query, candidates, { deadlineMs: ctx.clock.now() + ctx.judgeTimeoutMs, signal: controller.signal })
  const late = new Promise<JudgeOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'late', message: `no verdict within ${ctx.judgeTimeoutMs} ms` }), ctx.judgeTimeoutMs)
  })
  const settled = work.then(
    (verdicts): JudgeOutcome => ({ kind: 'verdicts', verdicts }),
    (error: unknown): JudgeOutcome => ({ kind: 'error', message: (error as Error).message }),
  )
  const outcome = await Promise.race([settled, late])
  clearTimeout(timer)
  if (outcome.kind === 'late') {
    // The verdict still counts for calibration when it arrives; the agent does not wait for it.
    void settled.then((o) => {
      if (o.kind === 'verdicts') o.verdicts.forEach((v, i) => ctx.onLateVerdict?.(query, candidates[i].element, v))
    })
  }
  return outcome
}
