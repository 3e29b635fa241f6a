import { normalizeQuery } from '../../core/normalize.js'
import type { VariantRequest } from '../trace-request.js'
import type { RemoteCall, ServeContext, ServeOutcome, Variant } from '../variant.js'

/**
 * Perfect equivalence and unlimited capacity: a request hits whenever any earlier request of the
 * same intent has completed, and waits on one still in flight. The upper bound; the only variant
 * that is told the gold intents (through `intentOf`, never through the request).
 */
export class OracleVariant implements Variant {
  readonly name = 'oracle'
  private readonly known = new Map<string, RemoteCall>()
  private readonly inFlight = new Map<string, Promise<RemoteCall>>()
  private readonly asked = new Set<string>()

  constructor(private readonly intentOf: (requestIndex: number) => string) {}

  async serve(request: VariantRequest, context: ServeContext): Promise<ServeOutcome> {
    const intent = this.intentOf(request.index)
    const wording = `${intent}\n${normalizeQuery(request.query)}`
    const repeat = this.asked.has(wording)
    this.asked.add(wording)
    const outcome = (source: ServeOutcome['source'], call: RemoteCall): ServeOutcome => ({
      source,
      kind: source !== 'cache' ? 'miss' : repeat ? 'exact' : 'semantic',
      elementId: null,
      result: call.result,
      costUsd: source === 'remote' ? call.costUsd : 0,
      cacheMs: 0,
      judgeCalls: 0,
      judgeMs: 0,
    })
    const known = this.known.get(intent)
    if (known) return outcome('cache', known)
    const flight = this.inFlight.get(intent)
    if (flight) {
      context.waiting()
      return outcome('coalesced', await flight)
    }
    const call = context.remote()
    this.inFlight.set(intent, call)
    const fetched = await call
    this.inFlight.delete(intent)
    this.known.set(intent, fetched)
    return outcome('remote', fetched)
  }

  async close(): Promise<void> {}
}
