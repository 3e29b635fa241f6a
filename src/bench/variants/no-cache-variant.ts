import type { ServeContext, ServeOutcome, Variant } from '../variant.js'

/** Every request goes to the source: the baseline all savings are measured against. */
export class NoCacheVariant implements Variant {
  readonly name = 'none'

  async serve(_request: unknown, context: ServeContext): Promise<ServeOutcome> {
    const call = await context.remote()
    return { source: 'remote', kind: 'miss', elementId: null, result: call.result, costUsd: call.costUsd, cacheMs: 0, judgeCalls: 0, judgeMs: 0 }
  }

  async close(): Promise<void> {}
}
