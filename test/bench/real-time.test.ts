import { describe, expect, it } from 'vitest'
import { replayInRealTime } from '../../src/bench/real-time.js'
import type { VariantRequest } from '../../src/bench/trace-request.js'
import type { ServeContext, ServeOutcome, Variant } from '../../src/bench/variant.js'
import { CacheVariant } from '../../src/bench/variants/cache-variant.js'
import { SemanticCache } from '../../src/core/cache/semantic-cache.js'
import { openStore } from '../../src/store/sqlite/sqlite-store.js'
import { FakeEmbedder } from '../helpers/fake-embedder.js'
import { echoSource, remoteModel, traceOf } from './bench-fixtures.js'

describe('replayInRealTime', () => {
  it('serves sessions in order on wall time and never shows a variant the gold labels', async () => {
    // Given a labelled trace and a variant that records what it receives
    const seen: VariantRequest[] = []
    const spy: Variant = {
      name: 'spy',
      async serve(request: VariantRequest, context: ServeContext): Promise<ServeOutcome> {
        seen.push(request)
        const call = await context.remote()
        return { source: 'remote', kind: 'miss', elementId: null, result: call.result, costUsd: call.costUsd, cacheMs: 0, judgeCalls: 0, judgeMs: 0 }
      },
      async close() {},
    }
    const requests = traceOf([
      { session: 'a', query: 'first', intent: 'x', answers: ['gold'] },
      { session: 'a', query: 'second', intent: 'y', answers: ['gold'] },
      { session: 'b', query: 'third', intent: 'z' },
    ])
    // When replayed in real time with no source latency
    const records = await replayInRealTime(spy, requests, { workers: 2, openLoop: false, remote: remoteModel(0) })
    // Then each request was served once, session a in order, without intent or answers
    expect(records.map((r) => r.index).sort()).toEqual([0, 1, 2])
    expect(seen.filter((r) => r.session === 'a').map((r) => r.query)).toEqual(['first', 'second'])
    for (const request of seen) expect(Object.keys(request).sort()).toEqual(['index', 'query', 'session', 'tool'])
    for (const r of records) expect(r.completionMs).toBeGreaterThanOrEqual(r.arrivalMs)
  })

  it('serves a repeat from a real cache and traces it back to the call that fetched it', async () => {
    const cache = new SemanticCache({ store: openStore(':memory:'), embedder: new FakeEmbedder() })
    const inner = echoSource()
    const requests = traceOf([{ session: 'a', query: 'what is dna' }, { session: 'a', query: 'What is DNA?' }])
    const records = await replayInRealTime(new CacheVariant('asteria', cache), requests, { workers: 1, openLoop: false, remote: remoteModel(0, inner) })
    expect(records.map((r) => [r.outcome.source, r.servedFrom])).toEqual([['remote', 0], ['cache', 0]])
    expect(inner.calls).toEqual(['what is dna'])
  })
})
