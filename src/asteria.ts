import type { AsteriaConfig } from './config/config.js'
import type { Clock } from './core/clock.js'
import { loadEntityLexicon } from './core/entity-lexicon.js'
import { SemanticCache, type FetchOptions, type FetchResult } from './core/semantic-cache.js'
import { createEmbedder } from './embed/create-embedder.js'
import type { Embedder } from './embed/embedder.js'
import { createPolicy } from './judge/create-policy.js'
import type { KnowledgeSource } from './sources/knowledge-source.js'
import { createLocalSource } from './sources/default-source.js'
import { openStore } from './store/sqlite-store.js'

export interface Asteria {
  cache: SemanticCache
  /** The configured knowledge source, created on first use (the local corpus builds an index). */
  source(): KnowledgeSource
  config: AsteriaConfig
  /** One knowledge look-up through the cache: a hit serves the stored result, a miss calls the source. */
  ask(query: string, options?: FetchOptions): Promise<FetchResult>
  close(): Promise<void>
}

export interface OpenAsteriaOptions {
  clock?: Clock
  /** Use this embedder instead of the configured one (tests, custom models). */
  embedder?: Embedder
  env?: NodeJS.ProcessEnv
}

/** Wires a cache, its store, embedder, hit policy and knowledge source from a configuration. */
export async function openAsteria(config: AsteriaConfig, options: OpenAsteriaOptions = {}): Promise<Asteria> {
  const embedder =
    options.embedder ??
    (await createEmbedder({
      kind: config.embedder,
      model: config.embedderModel,
      ollamaHost: config.ollamaHost,
      openaiBaseUrl: config.openaiBaseUrl,
      timeoutMs: config.embedTimeoutMs,
      env: options.env,
    }))
  const store = openStore(config.db)
  const cache = new SemanticCache({
    store,
    embedder,
    policy: createPolicy(config.judge),
    clock: options.clock,
    namespace: config.namespace,
    thresholds: { tauSim: config.tauSim, tauJudge: config.tauJudge },
    k: config.k,
    ttlByStaticity: config.ttlByStaticity,
    sideEffectTools: config.sideEffectTools,
    lexicon: loadEntityLexicon(),
    judgeTimeoutMs: config.judgeTimeoutMs,
  })
  let source: KnowledgeSource | undefined
  const getSource = () =>
    (source ??= createLocalSource({
      dataDir: config.dataDir,
      latency: Array.isArray(config.latencyMs) ? { minMs: config.latencyMs[0], maxMs: config.latencyMs[1] } : config.latencyMs,
      priceUsd: config.priceUsd,
    }))
  return {
    cache,
    config,
    source: getSource,
    ask: (query, fetchOptions = {}) =>
      cache.fetchThrough(
        query,
        async (signal) => {
          const call = await getSource().search(query, fetchOptions.args ?? {}, signal)
          return { result: call.result, latencyMs: call.latencyMs, costUsd: call.costUsd }
        },
        fetchOptions,
      ),
    close: async () => {
      await source?.close?.()
      await cache.close()
    },
  }
}
