import { openAsteria } from '../../asteria.js'
import type { AsteriaConfig } from '../../config/config.js'
import type { Clock } from '../../core/clock.js'
import { normalizeQuery } from '../../core/normalize.js'
import { seededRandom } from '../../core/util/seeded-random.js'
import { SemanticCache } from '../../core/cache/semantic-cache.js'
import type { Embedder } from '../../core/ports/embedder.js'
import type { KnowledgeSource } from '../../core/ports/knowledge-source.js'
import { thresholdOnlyPolicy } from '../../core/ports/hit-policy.js'
import { openStore } from '../../store/sqlite/sqlite-store.js'
import type { TraceRequest } from '../trace-request.js'
import { CacheVariant } from './cache-variant.js'
import { ExactOnlyEmbedder } from './exact-only-embedder.js'
import { NoCacheVariant } from './no-cache-variant.js'
import { OracleVariant } from './oracle-variant.js'

/** Builds fresh variants for each replay: every cache starts empty, in memory, on the replay's clock. */
export class VariantFactory {
  constructor(
    private readonly config: AsteriaConfig,
    private readonly embedder: Embedder,
    /** Seeds which hits each variant verifies, so a replay is exact. */
    private readonly seed = 1,
    /** The bench's own source (no latency): verifications and prefetches of the trace's tools ask it, never a configured one. */
    private readonly bench?: { source: KnowledgeSource; tools: string[]; simulated: boolean },
  ) {}

  none(): NoCacheVariant {
    return new NoCacheVariant()
  }

  /** Exact match after normalisation, in the same engine: no candidate ever passes tau_sim. */
  exact(clock: Clock): CacheVariant {
    const cache = new SemanticCache({
      store: openStore(':memory:'),
      embedder: new ExactOnlyEmbedder(),
      policy: thresholdOnlyPolicy,
      clock,
      thresholds: { tauSim: Number.POSITIVE_INFINITY },
      k: 1,
      ttlByStaticity: this.config.ttlByStaticity,
    })
    return new CacheVariant('exact', cache)
  }

  /** Similarity only, no guard or judge: the GPTCache-style baseline. */
  threshold(clock: Clock, tauSim: number): Promise<CacheVariant> {
    return this.semantic('threshold', { judge: 'none', tauSim }, clock)
  }

  /** The full pipeline with the configured judge, wired exactly as the CLI wires it. */
  asteria(clock: Clock, tauSim?: number): Promise<CacheVariant> {
    return this.semantic('asteria', tauSim === undefined ? {} : { tauSim }, clock)
  }

  /** The only variant told the gold intents; a request without one is equivalent only to the same wording. */
  oracle(requests: readonly TraceRequest[]): OracleVariant {
    return new OracleVariant((index) => requests[index].intent ?? `wording:${normalizeQuery(requests[index].query)}`)
  }

  private async semantic(name: string, overrides: Partial<AsteriaConfig>, clock: Clock): Promise<CacheVariant> {
    // Throwaway caches: never the configured file, and never a shared tier a user's ASTERIA_STORE_URL names.
    // Verifications and prefetches ask the source at once (latency 0) and finish before the next request: no wall time leaks in.
    const config = { ...this.config, ...overrides, db: ':memory:', storeUrl: undefined, latencyMs: 0 }
    const random = seededRandom(this.seed * 7919 + Math.round((overrides.tauSim ?? 0) * 1000))
    const onWarning = (message: string) => void process.stderr.write(`Warning: ${message}\n`)
    const asteria = await openAsteria(config, { clock, embedder: this.embedder, random, onWarning })
    if (this.bench) {
      const { source } = this.bench
      // Shared by every variant: the cache must not close it.
      const borrowed: KnowledgeSource = { name: source.name, pricePerCallUsd: source.pricePerCallUsd, search: (query, args, signal) => source.search(query, args, signal) }
      for (const tool of this.bench.tools) asteria.useSource(tool, borrowed)
    }
    return new CacheVariant(name, asteria.cache, { settleEachRequest: this.bench?.simulated ?? true })
  }
}
