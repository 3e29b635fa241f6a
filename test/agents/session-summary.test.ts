import { describe, expect, it } from 'vitest'
import { containsGoldAnswer } from '../../src/scoring/answer-accuracy.js'
import { percentile, summarizeSession } from '../../src/agents/session-summary.js'
import type { SessionLookup, SessionTask } from '../../src/core/ports/session-log.js'

function lookup(seq: number, outcome: SessionLookup['outcome'], extra: Partial<SessionLookup> = {}): SessionLookup {
  return {
    seq, taskSeq: 1, tool: 'search', query: `q${seq}`, args: {}, outcome, elementId: null, prefetched: false, latencyMs: seq * 10,
    remoteLatencyMs: 0, costUsd: 0, savedCostUsd: 0, savedLatencyMs: 0, judgeMs: null, decision: null, error: null, at: 0, ...extra,
  }
}

function task(seq: number, correct: boolean | null, durationMs: number): SessionTask {
  return { seq, id: `t${seq}`, kind: 'search', question: 'q', agent: 'replay', answer: '', correct, lookups: 1, steps: 0, durationMs, error: null }
}

describe('summarizeSession', () => {
  it('counts hits by kind, coalesced apart from hits, and sums cost spent and saved', () => {
    const lookups = [
      lookup(1, 'miss', { costUsd: 0.005, remoteLatencyMs: 400 }),
      lookup(2, 'semantic', { savedCostUsd: 0.005, savedLatencyMs: 400, judgeMs: 12 }),
      lookup(3, 'exact', { savedCostUsd: 0.005, savedLatencyMs: 400, prefetched: true }),
      lookup(4, 'coalesced'),
      lookup(5, 'error', { error: 'down' }),
    ]
    const s = summarizeSession([task(1, true, 100), task(2, false, 300), task(3, null, 200)], lookups)
    expect(s).toMatchObject({
      tasks: 3, requests: 5, hits: { exact: 1, semantic: 1, total: 2 }, misses: 1, coalesced: 1, prefetchHits: 1, errors: 1,
      hitRate: 2 / 5, remoteCalls: 1, costSpentUsd: 0.005, costSavedUsd: 0.01, latencySavedMs: 800, judgeCalls: 1, judgeMs: 12,
      accuracy: { withAnswers: 2, correct: 1, rate: 0.5 },
      lookupLatencyMs: { p50: 30, p95: 50 },
      taskLatencyMs: { p50: 200, p95: 300 },
    })
  })

  it('has no rates when there is nothing to divide by', () => {
    expect(summarizeSession([], [])).toMatchObject({ hitRate: null, accuracy: { rate: null }, lookupLatencyMs: { p50: null, p95: null } })
  })
})

describe('percentile', () => {
  it('uses the nearest rank', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 100], 95)).toBe(19)
  })
})

describe('containsGoldAnswer', () => {
  it('matches whole words after SQuAD normalisation (case, punctuation, articles)', () => {
    expect(containsGoldAnswer('It was written by William Shakespeare, around 1600.', ['shakespeare'])).toBe(true)
    expect(containsGoldAnswer('The Denver Broncos won.', ['Denver Broncos'])).toBe(true)
    expect(containsGoldAnswer('In the 1990s', ['1990'])).toBe(false)
    expect(containsGoldAnswer('anything', ['', '  '])).toBe(false)
  })
})
