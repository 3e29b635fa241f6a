import type { CacheStore, NearestCandidate } from './ports/cache-store.js'
import type { Clock } from './clock.js'
import { elapsedMs, startTimer } from './clock.js'
import type { CandidateVerdict, DecisionRecord, JudgeRecord, Thresholds } from './decision.js'
import { emptyTimings } from './decision.js'
import { checkGuard } from './guard/guard.js'
import { readQuestion, type GuardResources } from './guard/guard.js'
import type { SemanticElement } from './semantic-element.js'
import type { HitPolicy, JudgeVerdict } from './ports/hit-policy.js'
import { DeadlineExceededError, judgeBudgetMs, systemTimers } from './scheduler.js'

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
  guard?: GuardResources
  /** The most a model judge may take before the look-up becomes a miss, ms (the policy's scheduling may set less). */
  judgeTimeoutMs: number
  /** Receives a judge verdict that arrived after its deadline (calibration uses it); it is also counted as judge_late. */
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
    const asked = readQuestion(request.query, ctx.guard)
    passed = eligible.filter((candidate) => {
      const verdict = verdicts.find((v) => v.id === candidate.element.id)!
      verdict.guard = checkGuard(asked, readQuestion(candidate.element.query, ctx.guard), ctx.guard)
      if (!verdict.guard.pass) verdict.outcome = 'guard-rejected'
      return verdict.guard.pass
    })
  }
  timings.guardMs = elapsedMs(t)

  let judge: JudgeRecord | null = null
  let chosen: NearestCandidate | undefined = passed[0]
  let skipped: number | undefined
  const band = ctx.policy.scheduling?.skipAboveSimilarity
  if (ctx.policy.judge && passed.length > 0 && band !== undefined && passed[0].similarity >= band) {
    skipped = band // the fast path: near-identical and the guard agrees, so no model call
    await ctx.store.addCounters(passed[0].element.namespace, { judge_skipped: 1 })
  } else if (ctx.policy.judge && passed.length > 0) {
    passed = passed.slice(0, ctx.policy.scheduling?.maxCandidates ?? passed.length) // the nearest ones; the rest stay un-judged
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
      const top = outcome.verdicts.reduce((a, b) => (b.score > a.score ? b : a))
      judge = { name: ctx.policy.judge.name, score: top.score, verdict: chosen ? 'yes' : 'no', ms: timings.judgeMs, ...(top.reason ? { reason: top.reason } : {}) }
    } else {
      for (const c of passed) verdicts.find((v) => v.id === c.element.id)!.outcome = outcome.kind === 'late' ? 'judge-late' : 'judge-error'
      judge = { name: ctx.policy.judge.name, score: null, verdict: outcome.kind, ms: timings.judgeMs, error: outcome.message }
    }
    await ctx.store.addCounters(passed[0].element.namespace, {
      judge_ms: timings.judgeMs,
      ...(outcome.kind === 'late' ? { judge_deadline_missed: 1 } : outcome.kind === 'error' ? { judge_errors: 1 } : {}),
    })
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
        (record.judgeScore !== null ? `, judge ${record.judgeScore.toFixed(2)} >= ${ctx.thresholds.tauJudge}` : '') +
        (skipped !== undefined ? `, judge skipped at similarity >= ${skipped}` : '') + ')',
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

/** Recorded remote latency of the candidates (median): what the judge must beat to be worth waiting for. */
function expectedRemoteLatencyMs(candidates: NearestCandidate[]): number | undefined {
  const known = candidates.map((c) => c.element.latencyMs).filter((ms) => ms > 0).sort((x, y) => x - y)
  return known.length === 0 ? undefined : known[Math.floor(known.length / 2)]
}

/**
 * Asks the judge, but waits only until the look-up's deadline: after it the look-up misses (the
 * remote call goes out) and a verdict arriving later is still recorded, as judge_late.
 */
async function judgeWithDeadline(query: string, candidates: NearestCandidate[], ctx: SineContext): Promise<JudgeOutcome> {
  const judge = ctx.policy.judge!
  const scheduling = ctx.policy.scheduling
  const timers = scheduling?.timers ?? scheduling?.scheduler?.timers ?? systemTimers
  const budgetMs = judgeBudgetMs(expectedRemoteLatencyMs(candidates), {
    timeoutMs: Math.min(ctx.judgeTimeoutMs, scheduling?.deadline.timeoutMs ?? Number.POSITIVE_INFINITY),
    fraction: scheduling?.deadline.fraction ?? 1,
  })
  const lateMessage = `no verdict within ${Math.round(budgetMs)} ms`
  let cancelTimer = () => {}
  const late = new Promise<JudgeOutcome>((resolve) => {
    cancelTimer = timers.schedule(budgetMs, () => resolve({ kind: 'late', message: lateMessage }))
  })
  const settled = Promise.resolve()
    .then(() => judge.judge(query, candidates, { deadlineMs: timers.now() + budgetMs }))
    .then(
      (verdicts): JudgeOutcome => checkedVerdicts(verdicts, candidates.length),
      (error: unknown): JudgeOutcome =>
        error instanceof DeadlineExceededError ? { kind: 'late', message: `${lateMessage}: ${error.message}` } : { kind: 'error', message: (error as Error).message },
    )
  const outcome = await Promise.race([settled, late])
  cancelTimer()
  if (outcome.kind === 'late') {
    // The agent does not wait for it, but the verdict still counts (calibration, stats) when it arrives.
    void settled.then(async (o) => {
      if (o.kind !== 'verdicts') return
      o.verdicts.forEach((v, i) => ctx.onLateVerdict?.(query, candidates[i].element, v))
      await ctx.store.addCounters(candidates[0].element.namespace, { judge_late: 1 }).catch(() => {}) // the cache may be closed by now
    })
  }
  return outcome
}

/** One score in 0..1 per candidate, or the judge failed: a malformed answer never becomes a hit. */
function checkedVerdicts(verdicts: JudgeVerdict[], expected: number): JudgeOutcome {
  if (!Array.isArray(verdicts) || verdicts.length !== expected) {
    return { kind: 'error', message: `the judge returned ${Array.isArray(verdicts) ? verdicts.length : 'no'} verdicts for ${expected} candidates` }
  }
  const bad = verdicts.find((v) => typeof v?.score !== 'number' || !(v.score >= 0 && v.score <= 1))
  if (bad) return { kind: 'error', message: `the judge returned a score outside 0..1 (${JSON.stringify(bad?.score)})` }
  return { kind: 'verdicts', verdicts }
}
