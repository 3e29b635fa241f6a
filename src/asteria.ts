import type { AsteriaConfig } from './config/config.js'
import type { Clock } from './core/clock.js'
import { SemanticCache } from './core/cache/semantic-cache.js'
import { type FetchOptions, type FetchResult } from './core/cache/requests.js'
import { embedderFromConfig } from './embed/create-embedder.js'
import { shippedGuardResources } from './embed/guard-resources.js'
import type { Embedder } from './core/ports/embedder.js'
import type { Scheduler } from './core/scheduler.js'
import { resolveJudge } from './judge/create-policy.js'
import type { JudgeKind } from './judge/judge-kind.js'
import { judgeSettingsFrom } from './config/judge-config.js'
import type { KnowledgeSource } from './core/ports/knowledge-source.js'
import { ToolRoutes } from './sources/tool-routes.js'
import type { CacheStore } from './core/ports/cache-store.js'
import { openCacheStore } from './store/open-cache-store.js'
import { SEARCH_TOOL } from './core/knowledge-tools.js'
import { sqlitePolicyStores } from './store/sqlite/sqlite-policy-stores.js'
import { providedPolicyStores, type PolicyStores } from './core/ports/policy-stores.js'
import { policyOptionsFromConfig } from './config/budget-config.js'

export interface Asteria {
  cache: SemanticCache
  /** The store the cache keeps its elements in (and, for `asteria run`, its sessions). */
  store: CacheStore
  /** The source of the `search` tool, created on first use (the local corpus builds an index). */
  source(): KnowledgeSource
  /**
   * Routes look-ups for `tool` to `source`; tools not routed use their configured source (`source`,
   * `docsSource` for search_docs, `codeSource` for search_code). Its answers are stored under
   * `identity` (default its name). Closed with the cache.
   */
  useSource(tool: string, source: KnowledgeSource, identity?: string): void
  config: AsteriaConfig
  /** Where eviction, prefetch and calibration keep their state (the shared tier's when there is one). */
  policyStores: PolicyStores
  /** One knowledge look-up through the cache: a hit serves the stored result, a miss calls the source. */
  ask(query: string, options?: AskOptions): Promise<FetchResult>
  /** The judge asked for and the hit policy in use; `notice` says what `--judge auto` found, and an Ollama too old for logprobs. */
  judge: { requested: JudgeKind; policy: string; notice?: string }
  /** Warnings kept when `openAsteria` was given no `onWarning` (the latest MAX_KEPT_WARNINGS); empty otherwise. */
  warnings: readonly string[]
  /** Where an Ollama judge's requests queue; run the agent's model requests here at `agent` priority. */
  scheduler?: Scheduler
  close(): Promise<void>
}

export interface AskOptions extends FetchOptions {
  /** Aborts the source call this look-up makes (a look-up that joined another's call waits for that one). */
  signal?: AbortSignal
}

export interface OpenAsteriaOptions {
  clock?: Clock
  /** Use this embedder instead of the configured one (tests, custom models). */
  embedder?: Embedder
  env?: NodeJS.ProcessEnv
  /** Share a scheduler with the agent's chat model, so judge work waits behind it. */
  scheduler?: Scheduler
  /** Uniform [0, 1) draws for choosing which hits are verified; a seeded one makes a replay exact (the bench). */
  random?: () => number
  /** The caller only reads (stats, listings, export): a cache file this user may not write is opened read-only. */
  readOnly?: boolean
  /**
   * Where warnings go (the store's as it opens, the cache's later): the caller prints them. Without
   * it they are kept, the latest MAX_KEPT_WARNINGS, in `Asteria.warnings`.
   */
  onWarning?: (message: string) => void
}

/** How many warnings `Asteria.warnings` keeps when the caller gave no `onWarning`. */
export const MAX_KEPT_WARNINGS = 100

/** The embedder `openAsteria` builds for a configuration (the bench builds its variants' one here too). */
export function openEmbedder(config: AsteriaConfig, env?: NodeJS.ProcessEnv): Promise<Embedder> {
  return embedderFromConfig(config, env)
}

/** Wires a cache, its store, embedder, hit policy and knowledge source from a configuration. */
export async function openAsteria(config: AsteriaConfig, options: OpenAsteriaOptions = {}): Promise<Asteria> {
  const embedder = options.embedder ?? (await openEmbedder(config, options.env))
  const choice = await resolveJudge(judgeSettingsFrom(config, { scheduler: options.scheduler }))
  const warnings: string[] = []
  const onWarning =
    options.onWarning ??
    ((message: string) => {
      warnings.push(message)
      if (warnings.length > MAX_KEPT_WARNINGS) warnings.shift()
    })
  const store = await openCacheStore(config, { onWarning, readOnly: options.readOnly })
  const policyStores = providedPolicyStores(store) ?? sqlitePolicyStores(store)
  const routes = new ToolRoutes(config)
  const policyOptions = policyOptionsFromConfig(config, (tool) => routes.source(tool))
  if (options.random) policyOptions.calibration = { ...policyOptions.calibration, random: options.random }
  const cache = new SemanticCache({
    store,
    policyStores,
    ...policyOptions,
    embedder,
    policy: choice.policy,
    staticityScorer: choice.staticityScorer,
    clock: options.clock,
    namespace: config.namespace,
    thresholds: { tauSim: config.tauSim, tauJudge: config.tauJudge },
    k: config.k,
    ttlByStaticity: config.ttlByStaticity,
    sideEffectTools: config.sideEffectTools,
    sourceFor: (tool) => routes.identity(tool),
    guard: shippedGuardResources(),
    judgeTimeoutMs: config.judgeTimeoutMs,
    onWarning,
  })
  return {
    store,
    cache,
    config,
    policyStores,
    warnings,
    judge: { requested: choice.requested, policy: choice.policy.name, notice: choice.notice },
    scheduler: choice.scheduler,
    source: () => routes.source(SEARCH_TOOL),
    useSource: (tool, toolSource, identity) => routes.use(tool, toolSource, identity),
    ask: async (query, fetchOptions = {}) => {
      const started = performance.now()
      const result = await cache.fetchThrough(
        query,
        async (signal) => {
          const target = routes.source(fetchOptions.tool ?? SEARCH_TOOL)
          const call = await target.search(query, fetchOptions.args ?? {}, fetchOptions.signal ?? signal)
          return { result: call.result, latencyMs: call.latencyMs, costUsd: call.costUsd }
        },
        fetchOptions,
      )
      if (result.source !== 'remote' && config.padHitsMs) await padToMs(started, config.padHitsMs)
      return result
    },
    close: async () => {
      await routes.close()
      await cache.close()
    },
  }
}

/**
 * A hit answers faster than a miss, which tells a co-tenant what others asked. For shared
 * deployments `padHitsMs` makes hits (and coalesced answers) take at least that long.
 */
async function padToMs(startedAt: number, ms: number): Promise<void> {
  const left = ms - (performance.now() - startedAt)
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left))
}
