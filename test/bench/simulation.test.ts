import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/core/clock.js'
import { simulateReplay } from '../../src/bench/simulation.js'
import type { VariantRequest } from '../../src/bench/trace-request.js'
import type { ServeContext, ServeOutcome, Variant } from '../../src/bench/variant.js'
import { OracleVariant } from '../../src/bench/variants/oracle-variant.js'
import type { Embedder } from '../../src/core/ports/embedder.js'
import { FakeEmbedder } from '../helpers/fake-embedder.js'
import { echoSource, guardVariant, remoteModel, traceOf } from './bench-fixtures.js'

const byIndex = <T extends { index: number }>(records: T[]) => [...records].sort((a, b) => a.index - b.index)

describe('simulateReplay', () => {
  it('coalesces two workers asking equivalent questions 10 ms apart: 1 remote call, 1 coalesced, 0 hits', async () => {
    // Given two sessions asking the same question in other words, 10 ms apart, and a 400 ms source
    const requests = traceOf([
      { session: 'w1', query: 'who wrote the declaration of independence', t_ms: 0 },
      { session: 'w2', query: 'Who wrote the Declaration of Independence?', t_ms: 10 },
    ])
    const { variant, clock } = guardVariant()
    const inner = echoSource()
    // When they are replayed with their arrival times
    const records = byIndex(await simulateReplay(variant, requests, { workers: 2, openLoop: true, remote: remoteModel(400, inner), clock }))
    // Then the source was called once; the second request waited for that call and was not a hit
    expect(records.map((r) => r.outcome.source)).toEqual(['remote', 'coalesced'])
    expect(inner.calls).toHaveLength(1)
    expect(records[1].servedFrom).toBe(0)
    // and it completed when the call returned, about 390 ms after it arrived
    expect(records[0].completionMs).toBeGreaterThanOrEqual(400)
    expect(records[1].completionMs).toBe(records[0].completionMs)
    expect(records[1].completionMs - records[1].arrivalMs).toBeGreaterThanOrEqual(390)
  })

  it('does the same in a closed loop where both workers start at once', async () => {
    const requests = traceOf([
      { session: 'w1', query: 'what is dna' },
      { session: 'w2', query: 'What is DNA?' },
    ])
    const { variant, clock } = guardVariant()
    const records = await simulateReplay(variant, requests, { workers: 2, openLoop: false, remote: remoteModel(), clock })
    expect(records.map((r) => r.outcome.source).sort()).toEqual(['coalesced', 'remote'])
  })

  it('makes a stored element visible only once its remote call has completed', async () => {
    // Given a question, the same question while its call is in flight, and again after it returned
    const requests = traceOf([
      { session: 'a', query: 'what is dna', t_ms: 0 },
      { session: 'b', query: 'what is dna', t_ms: 399 },
      { session: 'c', query: 'what is dna', t_ms: 450 },
    ])
    const { variant, clock } = guardVariant()
    // When replayed against a 400 ms source
    const records = byIndex(await simulateReplay(variant, requests, { workers: 3, openLoop: true, remote: remoteModel(400), clock }))
    // Then the one during the flight waits, the one after it hits the stored element
    expect(records.map((r) => r.outcome.source)).toEqual(['remote', 'coalesced', 'cache'])
    expect(records[2].outcome).toMatchObject({ kind: 'exact' })
    expect(records[2].servedFrom).toBe(0)
    expect(records[2].completionMs - records[2].arrivalMs).toBeLessThan(100)
  })

  it("replays each session's requests in order in the closed loop, the next one when the previous completes", async () => {
    // Given one session of three different questions and one worker
    const requests = traceOf(['alpha particles', 'beta decay', 'gamma rays'].map((query) => ({ session: 's', query })))
    const { variant, clock } = guardVariant()
    // When replayed against a fixed 400 ms source
    const records = byIndex(await simulateReplay(variant, requests, { workers: 1, openLoop: false, remote: remoteModel(400), clock }))
    // Then each arrives when the one before it completed
    expect(records[1].arrivalMs).toBe(records[0].completionMs)
    expect(records[2].arrivalMs).toBe(records[1].completionMs)
    expect(records[2].completionMs).toBeGreaterThanOrEqual(1200)
    expect(clock.now()).toBeGreaterThanOrEqual(1200)
  })

  it("reports the cache's real work in the latency, but never lets it move simulated events", async () => {
    // Given an embedder that takes at least 20 ms of wall time per call
    const slow: Embedder = Object.assign(Object.create(new FakeEmbedder()) as FakeEmbedder, {
      async embed(texts: string[]) {
        await new Promise((resolve) => setTimeout(resolve, 20))
        return FakeEmbedder.prototype.embed.call(this, texts)
      },
    })
    const requests = traceOf([
      { session: 'a', query: 'who wrote the declaration of independence', t_ms: 0 },
      { session: 'b', query: 'who was the author of the declaration of independence', t_ms: 1000 },
    ])
    const { variant, clock } = guardVariant(slow)
    // When a paraphrase hits after the first call completed
    const records = byIndex(await simulateReplay(variant, requests, { workers: 2, openLoop: true, remote: remoteModel(400), clock }))
    // Then it is a semantic hit whose reported latency includes the embedding time
    expect(records[1].outcome).toMatchObject({ source: 'cache', kind: 'semantic' })
    expect(records[1].latencyMs).toBeGreaterThanOrEqual(15)
    // but in simulated time it answered on arrival, and the miss's call took exactly its 400 ms
    expect(records[1].completionMs).toBe(records[1].arrivalMs)
    expect(records[0].completionMs).toBe(400)
  })

  it('replays the same trace to the same outcomes however fast the cache work runs', async () => {
    // Given an embedder whose speed varies from call to call
    let calls = 0
    const erratic: Embedder = Object.assign(Object.create(new FakeEmbedder()) as FakeEmbedder, {
      async embed(texts: string[]) {
        await new Promise((resolve) => setTimeout(resolve, (calls++ * 7) % 13))
        return FakeEmbedder.prototype.embed.call(this, texts)
      },
    })
    const requests = traceOf(Array.from({ length: 24 }, (_, i) => ({ session: `s${i % 5}`, query: ['who wrote hamlet', 'tell me who wrote hamlet', 'capital of peru', 'what is the capital of peru'][i % 4] })))
    const outcomes = async () => {
      const { variant, clock } = guardVariant(erratic)
      const records = await simulateReplay(variant, requests, { workers: 3, openLoop: false, remote: remoteModel(400), clock })
      return records.sort((x, y) => x.index - y.index).map((r) => [r.outcome.source, r.outcome.kind, r.arrivalMs, r.completionMs])
    }
    // When it is replayed twice
    // Then every request is served the same way at the same simulated times
    expect(await outcomes()).toEqual(await outcomes())
  })

  it('never shows a variant the gold labels', async () => {
    // Given a labelled trace and a variant that records everything it receives
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
      { session: 's1', tool: 'search', query: 'who wrote hamlet', intent: 'c1', answers: ['Shakespeare'], t_ms: 0 },
      { session: 's2', tool: 'docs', query: 're.sub', intent: 'c2', answers: ['re'], t_ms: 5 },
    ])
    // When the trace is replayed through it
    await simulateReplay(spy, requests, { workers: 2, openLoop: false, remote: remoteModel(), clock: new ManualClock(0) })
    // Then it saw the requests without intent or answers, and could not add them
    expect(seen).toHaveLength(2)
    for (const request of seen) {
      expect(Object.keys(request).sort()).toEqual(['index', 'query', 'session', 'tool'])
      expect(JSON.stringify(request)).not.toMatch(/intent|answers|Shakespeare|c1/)
      expect(Object.isFrozen(request)).toBe(true)
    }
  })

  it('lets the oracle, told the intents, serve every later request of an intent', async () => {
    const requests = traceOf([
      { session: 'a', query: 'first wording', intent: 'x', t_ms: 0 },
      { session: 'b', query: 'totally different words', intent: 'x', t_ms: 100 },
      { session: 'c', query: 'more words again', intent: 'x', t_ms: 600 },
    ])
    const oracle = new OracleVariant((i) => requests[i].intent!)
    const records = byIndex(await simulateReplay(oracle, requests, { workers: 3, openLoop: true, remote: remoteModel(400), clock: new ManualClock(0) }))
    expect(records.map((r) => r.outcome.source)).toEqual(['remote', 'coalesced', 'cache'])
    expect(records.map((r) => r.servedFrom)).toEqual([0, 0, 0])
  })

  it('fails the replay with the error a variant throws', async () => {
    const failing: Variant = { name: 'failing', serve: async () => Promise.reject(new Error('embedder down')), close: async () => {} }
    const requests = traceOf([{ session: 'a', query: 'anything' }])
    await expect(simulateReplay(failing, requests, { workers: 1, openLoop: false, remote: remoteModel(), clock: new ManualClock(0) })).rejects.toThrow('embedder down')
  })
})
