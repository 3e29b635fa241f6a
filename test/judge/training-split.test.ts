import { describe, expect, it } from 'vitest'
import {
  EVALUATION_ONLY_SETS,
  HELDOUT_HALF_SETS,
  readAuthoredPairs,
  readSharedPairs,
  readTrainingHashes,
  sharedPairsDir,
  TRAINING_SETS,
} from '../../src/judge/learned/judge-data-sets.js'
import { loadLearnedJudgeWeights } from '../../src/judge/learned/judge-weights.js'
import { pairHash, pairListHash } from '../../src/judge/learned/pair-hash.js'

const weights = loadLearnedJudgeWeights()
const trained = new Set(readTrainingHashes())
const dir = sharedPairsDir()
const absent = dir ? '' : ' (skipped: ../shared/data/pairs is absent, so there is nothing to compare the committed hashes with)'

describe('the committed training split', () => {
  it('is the list the shipped weights were trained on', () => {
    // Given the committed hashes of every training pair
    // Then they are the list named in the weights file, one per training pair
    expect(pairListHash(trained)).toBe(weights.training.pairListHash)
    expect(trained.size).toBe(weights.training.sets.reduce((n, s) => n + s.pairs, 0))
  })

  it('identifies a pair whichever way round and however it is capitalised or punctuated', () => {
    expect(pairHash('Who wrote Hamlet?', 'who is the author of hamlet')).toBe(pairHash('who is the author of Hamlet', 'who wrote hamlet'))
    expect(pairHash('who wrote hamlet', 'who wrote macbeth')).not.toBe(pairHash('who wrote hamlet', 'who wrote othello'))
  })

  it('includes every authored pair', () => {
    for (const p of readAuthoredPairs()) expect(trained.has(pairHash(p.a, p.b))).toBe(true)
  })

  it.skipIf(!dir)(`holds no evaluation pair: held-out halves, QQP and MRPC${absent}`, () => {
    // Given every pair that is only ever evaluated on
    const evaluation = [
      ...HELDOUT_HALF_SETS.flatMap((name) => readSharedPairs(dir!, name, 'heldout').map((p) => ({ set: `${name} held-out`, ...p }))),
      ...EVALUATION_ONLY_SETS.flatMap((name) => readSharedPairs(dir!, name, 'all').map((p) => ({ set: name, ...p }))),
    ]
    // When
    const leaked = evaluation.filter((p) => trained.has(pairHash(p.a, p.b)))
    // Then
    expect(evaluation.length).toBeGreaterThan(10_000)
    expect(leaked.map((p) => `${p.set}: ${p.a} | ${p.b}`)).toEqual([])
  })

  it.skipIf(!dir)(`comes only from train halves of the training sets and the authored pairs${absent}`, () => {
    // Given every pair the trainer may use
    const allowed = new Set([
      ...TRAINING_SETS.flatMap((name) => readSharedPairs(dir!, name, 'train').map((p) => pairHash(p.a, p.b))),
      ...readAuthoredPairs().map((p) => pairHash(p.a, p.b)),
    ])
    // Then every committed hash is one of them
    expect([...trained].filter((h) => !allowed.has(h))).toEqual([])
  })
})
