import { describe, expect, it } from 'vitest'
import { quantile, scoreReplay } from '../../src/bench/replay-metrics.js'
import type { ReplayRecord } from '../../src/bench/served-from.js'
import type { ServeOutcome } from '../../src/bench/variant.js'
import { traceOf } from './bench-fixtures.js'

const docs = (text: string) => ({ documents: [{ id: 'd', text }] })

function record(index: number, source: ServeOutcome['source'], servedFrom: number, extra: Partial<ServeOutcome> = {}, arrivalMs = index * 10): ReplayRecord {
  const kind = source === 'cache' ? 'semantic' : 'miss'
  const completionMs = arrivalMs + (source === 'cache' ? 1 : 400)
  return {
    index, arrivalMs, completionMs, latencyMs: completionMs - arrivalMs, servedFrom,
    outcome: { source, kind, elementId: null, result: docs(''), costUsd: source === 'remote' ? 0.005 : 0, cacheMs: 0.5, judgeCalls: 0, judgeMs: 0, ...extra },
  }
}

describe('scoreReplay', () => {
  it('judges hits by the intent of the request whose call produced the result', () => {
    // Given a question, a paraphrase served its result (right), a near-miss served it (wrong), an exact repeat, a wrong coalesced
    const requests = traceOf([
      { session: 's', query: 'who wrote hamlet', intent: 'hamlet', answers: ['Shakespeare'] },
      { session: 's', query: 'author of hamlet', intent: 'hamlet', answers: ['Shakespeare'] },
      { session: 's', query: 'who wrote macbeth', intent: 'macbeth', answers: ['Shakespeare'] },
      { session: 's', query: 'Who wrote Hamlet?', intent: 'hamlet' },
      { session: 's', query: 'who wrote othello', intent: 'othello', answers: ['Iago'] },
    ])
    const records = [
      record(0, 'remote', 0, { result: docs('Hamlet was written by William Shakespeare') }),
      record(1, 'cache', 0, { result: docs('Hamlet was written by William Shakespeare') }),
      record(2, 'cache', 0, { result: docs('Hamlet was written by William Shakespeare') }),
      record(3, 'cache', 0, { kind: 'exact' }),
      record(4, 'coalesced', 0, { result: docs('Hamlet was written by William Shakespeare') }),
    ]
    // When scored, with the oracle's 2 correct hits
    const { metrics } = scoreReplay(requests, records, 2)
    // Then one wrong hit in three, and two wrong answers in five requests
    expect(metrics).toMatchObject({ requests: 5, hits: 3, exactHits: 1, semanticHits: 2, judgedHits: 3, correctHits: 2, wrongHits: 1, wrongCoalesced: 1, coalesced: 1, remoteCalls: 1 })
    expect(metrics.hitRate).toBeCloseTo(0.6)
    expect(metrics.falseHitRate).toBeCloseTo(1 / 3)
    expect(metrics.wrongAnswersPer1000).toBeCloseTo(400)
    expect(metrics.oracleShare).toBe(1)
    // and "Who wrote Hamlet?" normalises to an earlier wording, so only two hits are beyond exact repeats
    expect(metrics.hitsBeyondExactRepeats).toBe(2)
    // and accuracy is judged on the result each request received: the macbeth one happens to contain "Shakespeare"
    expect(metrics.answeredRequests).toBe(4)
    expect(metrics.answerAccuracy).toBeCloseTo(3 / 4)
    expect(metrics.costUsd).toBeCloseTo(0.005)
  })

  it('leaves correctness unmeasured for a trace without intents', () => {
    const requests = traceOf([{ session: 's', query: 'a b c' }, { session: 's', query: 'a b c d' }])
    const { metrics } = scoreReplay(requests, [record(0, 'remote', 0), record(1, 'cache', 0)], 1)
    expect(metrics).toMatchObject({ hits: 1, judgedHits: 0, falseHitRate: null, wrongAnswersPer1000: null, oracleShare: null, answerAccuracy: null })
  })

  it('reports latency, work, throughput over the makespan, and a series for the charts', () => {
    const requests = traceOf(Array.from({ length: 4 }, (_, i) => ({ session: `s${i}`, query: `question ${i}`, intent: `i${i}` })))
    const records = [0, 1, 2, 3].map((i) => record(i, i < 2 ? 'remote' : 'cache', i, {}, i * 1000))
    const { metrics, series } = scoreReplay(requests, records)
    expect(metrics.latencyP50Ms).toBe(1)
    expect(metrics.latencyP95Ms).toBe(400)
    expect(metrics.makespanMs).toBe(3001)
    expect(metrics.throughputRps).toBeCloseTo(4 / 3.001)
    expect(series.latencyQuantiles).toHaveLength(21)
    expect(series.latencyQuantiles.at(-1)).toEqual({ quantile: 1, ms: 400 })
    expect(series.hitRateOverTime.at(0)).toMatchObject({ hitRate: 0 })
    expect(series.hitRateOverTime.at(-1)).toMatchObject({ hitRate: 1 })
  })
})

describe('quantile', () => {
  it('is the nearest rank', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2)
    expect(quantile([1, 2, 3, 4], 0.95)).toBe(4)
    expect(quantile([], 0.5)).toBe(0)
  })
})
