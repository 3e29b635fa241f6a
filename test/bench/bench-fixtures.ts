import { ManualClock } from '../../src/core/clock.js'
import { SemanticCache } from '../../src/core/cache/semantic-cache.js'
import { parseTrace } from '../../src/bench/read-trace.js'
import type { RemoteModel } from '../../src/bench/remote-model.js'
import { CacheVariant } from '../../src/bench/variants/cache-variant.js'
import type { TraceRequest } from '../../src/bench/trace-request.js'
import type { Embedder } from '../../src/core/ports/embedder.js'
import { loadNameLexicon } from '../../src/core/guard/names.js'
import type { KnowledgeSource, SourceCall } from '../../src/core/ports/knowledge-source.js'
import { openStore } from '../../src/store/sqlite/sqlite-store.js'
import { FakeEmbedder } from '../helpers/fake-embedder.js'

/** A source that answers at once with one document echoing the query (so answers are checkable), counting calls. */
export function echoSource(): KnowledgeSource & { calls: string[] } {
  const calls: string[] = []
  return {
    name: 'echo',
    pricePerCallUsd: 0,
    calls,
    async search(query: string): Promise<SourceCall> {
      calls.push(query)
      return { result: { documents: [{ id: `d${calls.length}`, title: 'echo', text: `answer to: ${query}` }] }, latencyMs: 0, costUsd: 0 }
    },
  }
}

/** The remote side of a replay: `latencyMs` fixed (or a range), $0.005 a call. */
export function remoteModel(latency: RemoteModel['latency'] = 400, inner: KnowledgeSource = echoSource()): RemoteModel {
  return { inner, latency, priceUsd: 0.005, seed: 7 }
}

/** A trace from objects in the public format. */
export function traceOf(rows: Record<string, unknown>[]): TraceRequest[] {
  return parseTrace(rows.map((r) => JSON.stringify(r)).join('\n'), 'test-trace').requests
}

/** A full-pipeline (guard) cache variant on a manual clock, with the fake bag-of-words embedder. */
export function guardVariant(embedder: Embedder = new FakeEmbedder(), tauSim = 0.6): { variant: CacheVariant; clock: ManualClock } {
  const clock = new ManualClock(0)
  const cache = new SemanticCache({ store: openStore(':memory:'), embedder, clock, thresholds: { tauSim }, guard: { names: loadNameLexicon() } })
  return { variant: new CacheVariant('asteria', cache), clock }
}
