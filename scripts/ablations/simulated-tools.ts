import type { LoaderResult } from '../../src/core/cache/loader.js'
import type { TraceRequest } from '../../src/bench/trace-request.js'
import { seededRandom } from '../../src/core/util/seeded-random.js'
import { hashUnit, TOOL_MIX, type ToolPricing } from './workload.js'

export type CallPurpose = 'miss' | 'prefetch' | 'verify'

export interface ToolCall {
  purpose: CallPurpose
  tool: string
  costUsd: number
  latencyMs: number
}

/**
 * The remote tools of the ablations: each answers a question with the documents of its intent
 * (1-5 passages, so result sizes vary), at the tool's price and a drawn latency. The intent is
 * the source's knowledge, never the cache's: requests reach the cache without it.
 */
export class SimulatedTools {
  readonly calls: ToolCall[] = []
  private readonly intentByQuery = new Map<string, string>()
  private readonly pricing: Map<string, ToolPricing>
  private readonly random: () => number

  constructor(requests: readonly TraceRequest[], tools: readonly ToolPricing[] = TOOL_MIX, seed = 7) {
    for (const r of requests) if (!this.intentByQuery.has(r.query)) this.intentByQuery.set(r.query, r.intent ?? r.query)
    this.pricing = new Map(tools.map((t) => [t.name, t]))
    this.random = seededRandom(seed)
  }

  /** What the source returns for a question (its intent's documents). */
  call(purpose: CallPurpose, tool: string, query: string): LoaderResult {
    const price = this.pricing.get(tool) ?? TOOL_MIX[0]
    const intent = this.intentByQuery.get(query) ?? query
    const latencyMs = price.minMs + this.random() * (price.maxMs - price.minMs)
    this.calls.push({ purpose, tool, costUsd: price.priceUsd, latencyMs })
    const passages = 1 + Math.floor(hashUnit(`size:${intent}`) * 5)
    const documents = Array.from({ length: passages }, (_, i) => ({ id: `${intent}#${i}`, text: `passage ${i} about ${intent} `.padEnd(240, '.') }))
    return { result: { documents }, latencyMs, costUsd: price.priceUsd }
  }

  /** The intent a served result belongs to (scoring only). */
  static intentOf(result: unknown): string | undefined {
    const id = (result as { documents?: { id: string }[] } | null)?.documents?.[0]?.id
    return id?.slice(0, id.lastIndexOf('#'))
  }

  spent(purpose: CallPurpose): { calls: number; costUsd: number } {
    const mine = this.calls.filter((c) => c.purpose === purpose)
    return { calls: mine.length, costUsd: mine.reduce((sum, c) => sum + c.costUsd, 0) }
  }
}
