import { join } from 'node:path'
import type { AsteriaConfig } from '../config/config.js'
import { ManualClock, systemClock, type Clock } from '../core/clock.js'
import { AsteriaError } from '../core/errors.js'
import { normalizeQuery } from '../core/normalize.js'
import type { Embedder } from '../core/ports/embedder.js'
import { intentSplit, type PairSplit } from '../scoring/pair-splits.js'
import type { KnowledgeSource } from '../core/ports/knowledge-source.js'
import { LocalCorpusSource } from '../sources/local-corpus.js'
import type { BenchResult, VariantName, VariantReport } from './bench-result.js'
import { CUSTOMARY_TAU_SIM, curvePoint, tauGrid, type CurvePoint } from './curve.js'
import { matchedHeadline } from './headline.js'
import { scoreReplay } from './replay-metrics.js'
import type { Trace } from './read-trace.js'
import { replayInRealTime } from './real-time.js'
import { MemoizedSource, type RemoteModel } from './remote-model.js'
import type { ReplayRecord } from './served-from.js'
import { groupSessions } from './group-sessions.js'
import { simulateReplay } from './simulation.js'
import type { TraceRequest } from './trace-request.js'
import type { Variant } from './variant.js'
import { VariantFactory } from './variants/variant-factory.js'

export interface BenchOptions {
  trace: Trace
  /** Embedder, judge, thresholds, TTLs, simulated latency and price, data folder: as the CLI resolves them. */
  config: AsteriaConfig
  embedder: Embedder
  workers: number
  openLoop: boolean
  /** Really wait for remote calls (end-to-end runs) instead of simulating time; no threshold curves. */
  realTime: boolean
  seed: number
  /** Fewer requests and a coarse tau grid: finishes in under a minute. */
  quick: boolean
  /** Replay only the first n requests. */
  limit?: number
  /** Trace threshold-only at its customary tau_sim only, not along the grid (when only Asteria's curve is wanted). */
  asteriaCurveOnly?: boolean
  /** Replay only the requests whose intent falls in this half of the fixed hash split: choose settings on train, report heldout. */
  split?: PairSplit
  /** The knowledge source behind the simulated region; default: the local corpus in config.dataDir. */
  source?: KnowledgeSource
  onProgress?: (progress: { done: number; total: number; label: string }) => void
}

/** Requests replayed by --quick when no --limit is given. */
export const QUICK_REQUESTS = 800

const DESCRIPTIONS: Record<VariantName, string> = {
  none: 'no cache: every request goes to the source',
  exact: 'exact match after normalisation',
  threshold: 'similarity threshold only (GPTCache-style), no guard or judge',
  asteria: 'full pipeline: threshold, guard and the configured judge',
  oracle: 'perfect equivalence by gold intent, unlimited capacity (upper bound)',
}

/** Replays a trace through none, exact, threshold (along its curve), asteria (along its curve) and the oracle. */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const started = performance.now()
  const requests = selectRequests(options)
  const inner = options.source ?? new LocalCorpusSource({ dbPath: join(options.config.dataDir, 'corpus-index.sqlite') })
  const source = options.realTime ? inner : new MemoizedSource(inner)
  const factory = new VariantFactory(options.config, options.embedder, options.seed, { source, tools: [...new Set(requests.map((r) => r.tool))], simulated: !options.realTime })
  const remote: RemoteModel = {
    inner: source,
    latency: latencyOf(options.config),
    priceUsd: options.config.priceUsd,
    seed: options.seed,
  }
  const newClock = (): Clock => (options.realTime ? systemClock : new ManualClock(0))

  const probe = await factory.asteria(newClock())
  const asteriaTau = (await probe.cache.thresholds()).tauSim
  const policy = probe.cache.policy.name
  await probe.close()
  const thresholdTaus = options.realTime || options.asteriaCurveOnly ? [CUSTOMARY_TAU_SIM] : tauGrid(options.quick, [CUSTOMARY_TAU_SIM])
  const asteriaTaus = options.realTime ? [asteriaTau] : tauGrid(options.quick, [asteriaTau])

  const total = requests.length * (3 + thresholdTaus.length + asteriaTaus.length)
  let done = 0
  const replay = async (label: string, variant: Variant, clock: Clock): Promise<ReplayRecord[]> => {
    const onCompleted = () => options.onProgress?.({ done: ++done, total, label })
    try {
      return options.realTime
        ? await replayInRealTime(variant, requests, { workers: options.workers, openLoop: options.openLoop, remote, onCompleted })
        : await simulateReplay(variant, requests, { workers: options.workers, openLoop: options.openLoop, remote, clock: clock as ManualClock, onCompleted })
    } finally {
      await variant.close()
    }
  }

  try {
    const oracle = scoreReplay(requests, await replay('oracle', factory.oracle(requests), newClock()))
    const oracleHits = oracle.metrics.correctHits
    oracle.metrics.oracleShare = oracle.metrics.falseHitRate === null ? null : 1
    const none = scoreReplay(requests, await replay('none', factory.none(), newClock()), oracleHits)
    const exactClock = newClock()
    const exact = scoreReplay(requests, await replay('exact', factory.exact(exactClock), exactClock), oracleHits)

    const traced = async (name: 'threshold' | 'asteria', taus: number[], keep: number) => {
      const points: CurvePoint[] = []
      let kept: ReturnType<typeof scoreReplay> | undefined
      for (const tau of taus) {
        const clock = newClock()
        const variant = name === 'threshold' ? await factory.threshold(clock, tau) : await factory.asteria(clock, tau)
        const scored = scoreReplay(requests, await replay(`${name} tau ${tau}`, variant, clock), oracleHits)
        points.push(curvePoint(tau, scored.metrics))
        if (tau === keep) kept = scored
      }
      return { points, kept: kept! }
    }
    const threshold = await traced('threshold', thresholdTaus, CUSTOMARY_TAU_SIM)
    const asteria = await traced('asteria', asteriaTaus, asteriaTau)

    const report = (name: VariantName, scored: ReturnType<typeof scoreReplay>, extra: Partial<VariantReport> = {}): VariantReport => ({
      name, description: DESCRIPTIONS[name], policy: null, tauSim: null, ...scored, ...extra,
    })
    const curves = { threshold: threshold.points, asteria: asteria.points }
    const headline = options.realTime
      ? null
      : matchedHeadline(curves.asteria.find((p) => p.tauSim === asteriaTau)!, curves.threshold.find((p) => p.tauSim === CUSTOMARY_TAU_SIM)!, curves)
    return {
      trace: describeTrace(options.trace.name, requests),
      settings: {
        mode: options.openLoop ? 'open-loop' : 'closed-loop',
        clock: options.realTime ? 'real-time' : 'simulated',
        throughput: options.realTime ? 'measured' : 'modelled',
        workers: options.workers,
        remoteLatencyMs: rangeOf(remote.latency),
        priceUsdPerCall: remote.priceUsd,
        seed: options.seed,
        embedder: options.embedder.fingerprint,
        judge: policy,
        quick: options.quick,
        tauGrid: options.realTime ? [] : [...new Set([...thresholdTaus, ...asteriaTaus])].sort((a, b) => a - b),
      },
      variants: [
        report('none', none),
        report('exact', exact),
        report('threshold', threshold.kept, { policy: 'none', tauSim: CUSTOMARY_TAU_SIM }),
        report('asteria', asteria.kept, { policy, tauSim: asteriaTau }),
        report('oracle', oracle),
      ],
      curves: options.realTime ? { threshold: [], asteria: [] } : curves,
      headline,
      notes: notesFor(options, requests),
      wallSeconds: (performance.now() - started) / 1000,
    }
  } finally {
    if (!options.source) await inner.close?.()
  }
}

function selectRequests(options: BenchOptions): TraceRequest[] {
  const limit = options.limit ?? (options.quick ? QUICK_REQUESTS : undefined)
  const { split } = options
  // Re-indexed: a request's index is its position in what is replayed.
  const all = split === undefined ? options.trace.requests : options.trace.requests.filter((r) => intentSplit(r.intent ?? normalizeQuery(r.query)) === split).map((r, index) => ({ ...r, index }))
  const requests = limit === undefined ? all : all.slice(0, limit)
  if (options.openLoop) {
    const missing = requests.find((r) => r.tMs === undefined)
    if (missing) {
      throw new AsteriaError('BAD_INPUT', `--open-loop needs "t_ms" on every line of ${options.trace.name}; line ${missing.line} has none.`, {
        suggestions: ['Add t_ms (arrival time in ms) to every line, or drop --open-loop to replay sessions in a closed loop.'],
      })
    }
  }
  return requests
}

function latencyOf(config: AsteriaConfig): RemoteModel['latency'] {
  return Array.isArray(config.latencyMs) ? { minMs: config.latencyMs[0], maxMs: config.latencyMs[1] } : config.latencyMs
}

function rangeOf(latency: RemoteModel['latency']): [number, number] {
  return typeof latency === 'number' ? [latency, latency] : [latency.minMs, latency.maxMs]
}

function describeTrace(name: string, requests: readonly TraceRequest[]): BenchResult['trace'] {
  return {
    name,
    requests: requests.length,
    sessions: groupSessions(requests).length,
    labelledRequests: requests.filter((r) => r.intent !== undefined).length,
    answeredRequests: requests.filter((r) => (r.answers?.length ?? 0) > 0).length,
    distinctIntents: new Set(requests.map((r) => r.intent).filter((i) => i !== undefined)).size,
    distinctWordings: new Set(requests.map((r) => `${r.tool}\n${normalizeQuery(r.query)}`)).size,
  }
}

function notesFor(options: BenchOptions, requests: readonly TraceRequest[]): string[] {
  const notes: string[] = []
  if (!options.realTime) {
    notes.push('Throughput and latencies are modelled: remote calls take their simulated time; cache work is measured on this machine and added.')
  }
  if (requests.every((r) => r.intent === undefined)) {
    notes.push('The trace has no intents: false hits and the share of the oracle cannot be measured, and the oracle counts only identical wording as equivalent.')
  }
  if (requests.every((r) => !r.answers?.length)) notes.push('The trace has no gold answers: answer accuracy is not measured.')
  if (options.split) notes.push(`Replayed the ${options.split} half of the trace's intents (fixed hash split): choose settings on train, report heldout.`)
  if (options.limit !== undefined || options.quick) notes.push(`Replayed the first ${requests.length} of ${options.trace.requests.length} requests.`)
  if (options.realTime) notes.push('Real time: each variant ran once at its configured threshold; no precision/recall curves.')
  return notes
}
