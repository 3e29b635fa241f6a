import { setTimeout as delay } from 'node:timers/promises'
import type { CacheStore } from '../../core/ports/cache-store.js'
import { shippedGuardResources } from '../../embed/guard-resources.js'
import { SemanticCache } from '../../core/cache/semantic-cache.js'
import { defaultThresholds } from '../../core/calibration/thresholds.js'
import { embedderFromConfig } from '../../embed/create-embedder.js'
import { resolveJudge } from '../../judge/create-policy.js'
import { judgeSettingsFrom } from '../../config/judge-config.js'
import { openStore } from '../../store/sqlite/sqlite-store.js'
import { TieredStore } from '../../store/tiered/tiered-store.js'
import { PROGRESS_EVERY, type MachineMessage, type MachineOutcome, type MachineRequest, type MachineSpec } from './machine-protocol.js'
import { openTimedSharedTier } from './timed-shared-tier.js'

export interface MachineIo {
  send(message: MachineMessage): void
  /** Resolves when the orchestrator says go (every machine is ready by then). */
  go(): Promise<void>
}

// Several machines share few cores in a bench; a slow shared-tier call must not count as an outage here.
const SHARED_TIMEOUT_MS = 30_000

/** One machine of the bench: opens its cache, says ready, waits for go, replays its share. */
export async function runMachine(spec: MachineSpec, io: MachineIo): Promise<void> {
  const { config } = spec
  const warnings: string[] = []
  const embedder = await embedderFromConfig(config)
  const judge = await resolveJudge(judgeSettingsFrom(config))
  const local = openStore(spec.db)
  const shared = spec.storeUrl ? openTimedSharedTier(spec.storeUrl, { max: 2, connectTimeoutMs: SHARED_TIMEOUT_MS }) : undefined
  const store: CacheStore = shared
    ? new TieredStore(local, shared, {
        timeoutMs: SHARED_TIMEOUT_MS,
        firstContactTimeoutMs: SHARED_TIMEOUT_MS,
        hotSimilarity: config.tauSim ?? defaultThresholds('', judge.policy.name).tauSim,
        onWarning: (message) => void warnings.push(message),
      })
    : local
  const cache = new SemanticCache({
    store,
    embedder,
    policy: judge.policy,
    staticityScorer: judge.staticityScorer,
    namespace: config.namespace,
    thresholds: { tauSim: config.tauSim, tauJudge: config.tauJudge },
    k: config.k,
    guard: shippedGuardResources(),
    judgeTimeoutMs: config.judgeTimeoutMs,
    onWarning: (message) => void warnings.push(message),
  })
  const outcomes: MachineOutcome[] = []
  try {
    await store.registerEmbedder({ fingerprint: embedder.fingerprint, model: embedder.model, dimensions: embedder.dimensions })
    io.send({ type: 'ready', embedder: embedder.model, judge: judge.policy.name, notices: judge.notice ? [judge.notice] : [] })
    await io.go()
    for (const request of spec.requests) {
      outcomes.push(await replayRequest(cache, request, remoteLatency(spec, request.index)))
      if (outcomes.length % PROGRESS_EVERY === 0) io.send({ type: 'progress', done: outcomes.length })
    }
  } finally {
    await cache.close()
  }
  // After close: the write-through still in flight has reached the shared tier.
  io.send({ type: 'done', outcomes, warnings, sharedCalls: shared?.times ?? null })
}

async function replayRequest(cache: SemanticCache, request: MachineRequest, latencyMs: number): Promise<MachineOutcome> {
  let remoteMs = 0
  const started = performance.now()
  const served = await cache.fetchThrough(
    request.query,
    async () => {
      const calledAt = performance.now()
      if (latencyMs > 0) await delay(latencyMs)
      remoteMs = performance.now() - calledAt
      return { result: { intent: request.intent, documents: [{ id: request.intent ?? request.query, text: request.query }] }, latencyMs }
    },
    { tool: request.tool },
  )
  const ms = performance.now() - started - remoteMs
  return { source: served.source, ms, rightIntent: (served.result as { intent?: string | null }).intent === request.intent }
}

/** A draw from the spec's range that depends only on the seed and the request's position. */
function remoteLatency(spec: MachineSpec, index: number): number {
  const [min, max] = spec.remoteLatencyMs
  if (max <= min) return min
  const mixed = (Math.imul(spec.seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77)) >>> 0
  return min + (mixed % (max - min + 1))
}
