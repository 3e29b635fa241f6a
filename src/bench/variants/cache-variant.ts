import type { SemanticCache } from '../../core/cache/semantic-cache.js'
import type { VariantRequest } from '../trace-request.js'
import type { ServeContext, ServeOutcome, Variant } from '../variant.js'

/** A variant backed by a real SemanticCache (exact match, threshold-only, or the full pipeline): fetch-through with single flight. */
export class CacheVariant implements Variant {
  constructor(
    readonly name: string,
    readonly cache: SemanticCache,
    /** Wait for the cache's background work (verifications, prefetches) before answering: a simulation stays exact. */
    private readonly options: { settleEachRequest?: boolean } = {},
  ) {}

  async serve(request: VariantRequest, context: ServeContext): Promise<ServeOutcome> {
    const fetched = await this.cache.fetchThrough(request.query, () => context.remote(), {
      tool: request.tool,
      onDecision: (_decision, source) => source === 'coalesced' && context.waiting(),
    })
    if (this.options.settleEachRequest) await this.cache.settle()
    const { decision } = fetched
    return {
      source: fetched.source,
      kind: fetched.source === 'cache' && (decision.kind === 'exact' || decision.kind === 'semantic') ? decision.kind : 'miss',
      elementId: fetched.element?.id ?? null,
      result: fetched.result,
      costUsd: fetched.costUsd,
      cacheMs: decision.timings.totalMs,
      judgeCalls: decision.judge ? 1 : 0,
      judgeMs: decision.judge?.ms ?? 0,
    }
  }

  close(): Promise<void> {
    return this.cache.close()
  }
}
