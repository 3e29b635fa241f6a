import { AsteriaError } from '../core/errors.js'
import { seededRandom } from '../core/util/seeded-random.js'
import type { KnowledgeSource, SourceCall } from '../core/ports/knowledge-source.js'

/** Waits ms, or rejects with signal.reason as soon as the signal aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>

export interface LatencyRange {
  minMs: number
  maxMs: number
}

export interface SimulatedRegionOptions {
  /** A uniform range, or a fixed delay in ms (0: none). Default 300–500 ms. */
  latency?: LatencyRange | number
  /** Default $0.005 per call, like a commercial search API. */
  priceUsd?: number
  /** Seeds the latency draws, so a run can be replayed exactly. */
  seed?: number
  /** Replaced by the bench's simulated clock; the default really waits. */
  sleep?: Sleep
  name?: string
}

export const DEFAULT_REGION_LATENCY: LatencyRange = { minMs: 300, maxMs: 500 }
export const DEFAULT_REGION_PRICE_USD = 0.005
const DEFAULT_SEED = 0x5eed

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason)
      return
    }
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })

/**
 * Makes any source behave like a paid remote one: each call waits a drawn network delay and
 * costs a fixed price, so the cache's savings can be measured offline.
 */
export class SimulatedRegion implements KnowledgeSource {
  readonly name: string
  readonly pricePerCallUsd: number
  private readonly latency: LatencyRange
  private readonly random: () => number
  private readonly sleep: Sleep

  constructor(
    readonly inner: KnowledgeSource,
    options: SimulatedRegionOptions = {},
  ) {
    this.latency = latencyRange(options.latency ?? DEFAULT_REGION_LATENCY)
    this.pricePerCallUsd = price(options.priceUsd ?? DEFAULT_REGION_PRICE_USD)
    this.random = seededRandom(options.seed ?? DEFAULT_SEED)
    this.sleep = options.sleep ?? realSleep
    this.name = options.name ?? `${inner.name}@simulated-region`
  }

  async search(query: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<SourceCall> {
    signal?.throwIfAborted()
    const delayMs = this.drawDelayMs()
    const call = await this.inner.search(query, args, signal)
    if (delayMs > 0) await this.sleep(delayMs, signal)
    // The inner source's own latency (the local corpus leaves out its first-use index build).
    return { result: call.result, latencyMs: call.latencyMs + delayMs, costUsd: this.pricePerCallUsd }
  }

  /** Closes the wrapped source when it holds resources (the local corpus holds a database). */
  close(): void {
    const inner = this.inner as Partial<{ close: () => void }>
    inner.close?.()
  }

  private drawDelayMs(): number {
    const { minMs, maxMs } = this.latency
    return minMs === maxMs ? minMs : minMs + this.random() * (maxMs - minMs)
  }
}

function latencyRange(latency: LatencyRange | number): LatencyRange {
  const range = typeof latency === 'number' ? { minMs: latency, maxMs: latency } : latency
  const valid = Number.isFinite(range.minMs) && Number.isFinite(range.maxMs) && range.minMs >= 0 && range.maxMs >= range.minMs
  if (!valid) {
    throw new AsteriaError('CONFIG', `Expected the simulated latency as ms >= 0, or {minMs, maxMs} with 0 <= minMs <= maxMs; received ${JSON.stringify(latency)}.`, {
      suggestions: ['Use e.g. {"minMs": 300, "maxMs": 500}, or 0 for no delay.'],
    })
  }
  return range
}

function price(priceUsd: number): number {
  if (!Number.isFinite(priceUsd) || priceUsd < 0) {
    throw new AsteriaError('CONFIG', `Expected the simulated price per call as US dollars >= 0; received ${priceUsd}.`, {
      suggestions: ['Use e.g. 0.005, or 0 for a free source.'],
    })
  }
  return priceUsd
}
