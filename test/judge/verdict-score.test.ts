import { describe, expect, it } from 'vitest'
import { MalformedVerdictError, answerWord, scoreFromJson, scoreFromLogprobs, scoresFromBatchJson, scoresFromBatchLogprobs } from '../../src/judge/verdict-score.js'

const lp = (p: number) => Math.log(p)

describe('answerWord', () => {
  it('folds the spellings a tokenizer produces into yes or no, and nothing else', () => {
    expect(['yes', 'Yes', ' yes', 'YES', 'Ġyes', '▁Yes', 'yes.', '"yes"', '**Yes**'].map(answerWord)).toEqual(Array(9).fill('yes'))
    expect(['no', ' No', 'NO!', 'Ġno'].map(answerWord)).toEqual(Array(4).fill('no'))
    expect(['yeah', 'nope', '{', 'Sure', 'y', 'not', ''].map(answerWord)).toEqual(Array(7).fill(undefined))
  })
})

describe('scoreFromLogprobs', () => {
  it('is P(yes) / (P(yes) + P(no)) over the first token and its alternatives, all spellings together', () => {
    // Given a first token "Yes" (0.6) with alternatives " yes" (0.2), "No" (0.15), "Maybe" (0.05)
    const verdict = scoreFromLogprobs([
      { token: 'Yes', logprob: lp(0.6), top_logprobs: [{ token: 'Yes', logprob: lp(0.6) }, { token: ' yes', logprob: lp(0.2) }, { token: 'No', logprob: lp(0.15) }, { token: 'Maybe', logprob: lp(0.05) }] },
    ])
    // Then the score is 0.8 / 0.95
    expect(verdict.score).toBeCloseTo(0.8 / 0.95, 6)
  })

  it('skips leading whitespace and empty think tags before the answer token', () => {
    const verdict = scoreFromLogprobs([
      { token: '<think>', logprob: 0 },
      { token: '\n\n', logprob: 0 },
      { token: '</think>', logprob: 0 },
      { token: 'no', logprob: lp(0.9), top_logprobs: [{ token: 'no', logprob: lp(0.9) }, { token: 'yes', logprob: lp(0.1) }] },
    ])
    expect(verdict.score).toBeCloseTo(0.1, 6)
  })

  it('uses the chosen token alone when the server sends no alternatives', () => {
    expect(scoreFromLogprobs([{ token: 'yes', logprob: lp(0.7) }]).score).toBe(1)
    expect(scoreFromLogprobs([{ token: ' No', logprob: lp(0.7) }]).score).toBe(0)
  })

  it('throws on an answer that is not yes or no, so the look-up misses instead of hitting', () => {
    const format = [{ token: '{', logprob: lp(0.9), top_logprobs: [{ token: '{', logprob: lp(0.9) }, { token: 'Sure', logprob: lp(0.1) }] }]
    expect(() => scoreFromLogprobs(format)).toThrow(MalformedVerdictError)
    expect(() => scoreFromLogprobs([])).toThrow('no answer token')
  })
})

describe('scoresFromBatchLogprobs', () => {
  it('gives the k-th yes/no token to candidate k', () => {
    const tokens = ['1', ':', ' yes', '\n', '2', ':', ' no'].map((token) => ({
      token,
      logprob: lp(0.9),
      top_logprobs: token === ' yes' ? [{ token: ' yes', logprob: lp(0.9) }, { token: ' no', logprob: lp(0.1) }] : undefined,
    }))
    const verdicts = scoresFromBatchLogprobs(tokens, 2)
    expect(verdicts.map((v) => v.score)).toEqual([expect.closeTo(0.9, 6), 0])
    expect(() => scoresFromBatchLogprobs(tokens.slice(0, 3), 2)).toThrow('answered 1 of 2 candidates')
  })
})

describe('scoreFromJson', () => {
  it('maps yes to 0.5..1 and no to below 0.5 by the stated confidence', () => {
    expect(scoreFromJson('{"answers": true, "confidence": 1}').score).toBe(1)
    expect(scoreFromJson('{"answers": true, "confidence": 0}').score).toBe(0.5)
    expect(scoreFromJson('{"answers": false, "confidence": 0}').score).toBeLessThan(0.5)
    expect(scoreFromJson('{"answers": false, "confidence": 1}').score).toBe(0)
  })

  it('throws on JSON that does not parse or lacks a boolean verdict', () => {
    expect(() => scoreFromJson('{"answers": tru')).toThrow(MalformedVerdictError)
    expect(() => scoreFromJson('{"answers": "yes", "confidence": 0.9}')).toThrow('"answers": boolean')
    expect(() => scoreFromJson('yes')).toThrow(MalformedVerdictError)
  })

  it('matches batch verdicts by candidate number', () => {
    const content = JSON.stringify({ verdicts: [{ candidate: 2, answers: false, confidence: 1 }, { candidate: 1, answers: true, confidence: 1 }] })
    expect(scoresFromBatchJson(content, 2).map((v) => v.score)).toEqual([1, 0])
    expect(() => scoresFromBatchJson('{"verdicts": []}', 1)).toThrow('no verdict for candidate 1')
  })
})
