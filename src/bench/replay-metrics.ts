import { normalizeQuery } from '../core/normalize.js'
import { resultContainsGoldAnswer } from '../scoring/answer-accuracy.js'
import type { ReplayRecord } from './served-from.js'
import type { TraceRequest } from './trace-request.js'

/** Per-variant figures (definitions in DESIGN.md, "Definitions"; README, "asteria bench"). */
export interface VariantMetrics {
  requests: number
  hits: number
  hitRate: number
  exactHits: number
  semanticHits: number
  /** Hits on requests whose wording (after normalisation) nobody had asked before: what exact matching cannot give. */
  hitsBeyondExactRepeats: number
  /** Hits whose correctness could be judged: the request and the one that fetched what it got both carry an intent. */
  judgedHits: number
  correctHits: number
  wrongHits: number
  /** wrongHits / judgedHits; null when no hit could be judged. */
  falseHitRate: number | null
  /** Coalesced requests that received another intent's result (a wrong answer too, though not a hit). */
  wrongCoalesced: number
  /** (wrong hits + wrong coalesced) per 1,000 requests; null without intents. */
  wrongAnswersPer1000: number | null
  /** correctHits / the oracle's correctHits; null without intents or for the oracle itself before it is known. */
  oracleShare: number | null
  /** Share of requests with gold answers whose received result contains one; null when the trace has none. */
  answerAccuracy: number | null
  answeredRequests: number
  remoteCalls: number
  costUsd: number
  coalesced: number
  latencyP50Ms: number
  latencyP95Ms: number
  /** Wall time of the cache's own work per request (look-up), p50 and p95. */
  cacheWorkP50Ms: number
  cacheWorkP95Ms: number
  makespanMs: number
  /** Requests per second over the makespan (modelled in a simulation, measured with --real-time). */
  throughputRps: number
  judgeCalls: number
  judgeMs: number
  /** Not implemented by any variant yet; kept so the shape does not change when they are. */
  evictions: number
  prefetches: number
}

export interface VariantSeries {
  /** Request latency at quantiles 0, 0.05, ..., 1. */
  latencyQuantiles: { quantile: number; ms: number }[]
  /** Hit rate of the requests arriving in each of up to 20 equal slices of the run. */
  hitRateOverTime: { endSec: number; hitRate: number; requests: number }[]
}

const TIME_SLICES = 20

/** Scores one replay against the gold labels, which only this function (and the oracle) ever reads. */
export function scoreReplay(requests: readonly TraceRequest[], records: readonly ReplayRecord[], oracleCorrectHits?: number): { metrics: VariantMetrics; series: VariantSeries } {
  const byArrival = [...records].sort((a, b) => a.arrivalMs - b.arrivalMs || a.index - b.index)
  const asked = new Set<string>()
  let hits = 0, exactHits = 0, semanticHits = 0, beyondExact = 0, judged = 0, correct = 0, wrong = 0, wrongCoalesced = 0
  let answered = 0, accurate = 0, remoteCalls = 0, costUsd = 0, coalesced = 0, judgeCalls = 0, judgeMs = 0
  let labelled = false
  for (const record of byArrival) {
    const request = requests[record.index]
    const { outcome } = record
    const wording = normalizeQuery(request.query)
    const repeat = asked.has(wording)
    asked.add(wording)
    const origin = record.servedFrom === null ? undefined : requests[record.servedFrom]
    const sameIntent = request.intent !== undefined && origin?.intent !== undefined ? request.intent === origin.intent : null
    if (request.intent !== undefined) labelled = true
    if (outcome.source === 'cache') {
      hits++
      if (outcome.kind === 'exact') exactHits++
      else semanticHits++
      if (!repeat) beyondExact++
      if (sameIntent !== null) {
        judged++
        if (sameIntent) correct++
        else wrong++
      }
    } else if (outcome.source === 'coalesced') {
      coalesced++
      if (sameIntent === false) wrongCoalesced++
    } else {
      remoteCalls++
    }
    costUsd += outcome.costUsd
    judgeCalls += outcome.judgeCalls
    judgeMs += outcome.judgeMs
    if (request.answers && request.answers.length > 0) {
      answered++
      if (resultContainsGoldAnswer(outcome.result, request.answers)) accurate++
    }
  }
  const n = records.length
  const latencies = records.map((r) => r.latencyMs).sort((a, b) => a - b)
  const cacheWork = records.map((r) => r.outcome.cacheMs).sort((a, b) => a - b)
  const makespanMs = records.reduce((max, r) => Math.max(max, r.completionMs), 0)
  const metrics: VariantMetrics = {
    requests: n,
    hits,
    hitRate: ratio(hits, n) ?? 0,
    exactHits,
    semanticHits,
    hitsBeyondExactRepeats: beyondExact,
    judgedHits: judged,
    correctHits: correct,
    wrongHits: wrong,
    falseHitRate: ratio(wrong, judged),
    wrongCoalesced,
    wrongAnswersPer1000: labelled ? ((wrong + wrongCoalesced) / n) * 1000 : null,
    oracleShare: labelled && oracleCorrectHits !== undefined ? ratio(correct, oracleCorrectHits) : null,
    answerAccuracy: ratio(accurate, answered),
    answeredRequests: answered,
    remoteCalls,
    costUsd,
    coalesced,
    latencyP50Ms: quantile(latencies, 0.5),
    latencyP95Ms: quantile(latencies, 0.95),
    cacheWorkP50Ms: quantile(cacheWork, 0.5),
    cacheWorkP95Ms: quantile(cacheWork, 0.95),
    makespanMs,
    throughputRps: makespanMs > 0 ? n / (makespanMs / 1000) : 0,
    judgeCalls,
    judgeMs,
    evictions: 0,
    prefetches: 0,
  }
  return { metrics, series: { latencyQuantiles: latencyQuantiles(latencies), hitRateOverTime: hitRateOverTime(byArrival) } }
}

function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null
}

/** Nearest-rank quantile of ascending values (0 for none). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]
}

function latencyQuantiles(sorted: readonly number[]): VariantSeries['latencyQuantiles'] {
  return Array.from({ length: 21 }, (_, i) => ({ quantile: i / 20, ms: i === 0 ? (sorted[0] ?? 0) : quantile(sorted, i / 20) }))
}

function hitRateOverTime(byArrival: readonly ReplayRecord[]): VariantSeries['hitRateOverTime'] {
  if (byArrival.length === 0) return []
  const last = byArrival[byArrival.length - 1].arrivalMs
  const width = last > 0 ? last / TIME_SLICES : 1
  const slices = Array.from({ length: last > 0 ? TIME_SLICES : 1 }, (_, i) => ({ endSec: ((i + 1) * width) / 1000, hits: 0, requests: 0 }))
  for (const record of byArrival) {
    const slice = slices[Math.min(slices.length - 1, Math.floor(record.arrivalMs / width))]
    slice.requests++
    if (record.outcome.source === 'cache') slice.hits++
  }
  return slices.filter((s) => s.requests > 0).map((s) => ({ endSec: s.endSec, hitRate: s.hits / s.requests, requests: s.requests }))
}
