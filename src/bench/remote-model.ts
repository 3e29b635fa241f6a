import type { KnowledgeSource, SourceCall } from '../core/ports/knowledge-source.js'
import { SimulatedRegion, type LatencyRange, type Sleep } from '../sources/simulated-region.js'

/** The remote side of a replay: a source behind a simulated region with a latency range and a price per call. */
export interface RemoteModel {
  inner: KnowledgeSource
  latency: LatencyRange | number
  priceUsd: number
  seed: number
}

/**
 * The region one request's remote call goes through. Its latency draw depends only on the seed
 * and the request's position, so every variant pays the same latency for the same request.
 */
export function requestRegion(model: RemoteModel, requestIndex: number, sleep: Sleep): SimulatedRegion {
  const seed = (Math.imul(model.seed, 0x9e3779b1) + Math.imul(requestIndex + 1, 0x85ebca77)) >>> 0
  return new SimulatedRegion(model.inner, { latency: model.latency, priceUsd: model.priceUsd, seed, sleep })
}

/**
 * Remembers the inner source's answers by query, so the many replays of one bench run search
 * the corpus once per distinct query. Each call gets its own copy of the result object.
 */
export class MemoizedSource implements KnowledgeSource {
  readonly name: string
  readonly pricePerCallUsd: number
  private readonly answers = new Map<string, SourceCall>()

  constructor(private readonly inner: KnowledgeSource) {
    this.name = inner.name
    this.pricePerCallUsd = inner.pricePerCallUsd
  }

  async search(query: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<SourceCall> {
    const key = JSON.stringify([query, args])
    let call = this.answers.get(key)
    if (!call) {
      call = await this.inner.search(query, args, signal)
      this.answers.set(key, call)
    }
    return { ...call, result: { ...call.result, documents: [...call.result.documents] } }
  }

  close(): void | Promise<void> {
    return this.inner.close?.()
  }
}
