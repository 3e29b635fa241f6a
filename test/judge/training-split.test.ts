import { describe, expect, it } from 'vitest'
import {
  EVALUATION_ONLY_SETS,
  HELDOUT_HALF_SETS,
  readAuthoredPairs,
  readSharedPairs,
  readTrainingHashes,
  sharedPairsDir,
  TRAINING_SETS,
} from '../../training/judge-data-sets.js'
import { join } from 'node:path'
import { normalizeQuery } from '../../src/core/normalize.js'
import { loadStaticEmbedder } from '../../src/embed/static-embedder.js'
import { mineHardNegatives } from '../../training/hard-negatives.js'
import { loadIdfTable } from '../../src/judge/learned/idf-table.js'
import { loadLearnedJudgeWeights } from '../../src/judge/learned/judge-weights.js'
import { pairHash, pairListHash } from '../../training/pair-hash.js'

const weights = loadLearnedJudgeWeights()
const trained = new Set(readTrainingHashes())
const dir = sharedPairsDir()
const absent = dir ? '' : ' (skipped: ../shared/data/pairs is absent, so there is nothing to compare the committed hashes with)'
const minedSetNames = ['squad_same_paragraph', 'lcquad_same_entity', 'banking77_nearest_other_intent']
const evaluationPairs = () => [
  ...HELDOUT_HALF_SETS.flatMap((name) => readSharedPairs(dir!, name, 'heldout').map((p) => ({ set: `${name} held-out`, ...p }))),
  ...EVALUATION_ONLY_SETS.flatMap((name) => readSharedPairs(dir!, name, 'all').map((p) => ({ set: name, ...p }))),
]
/** Pair hashes of the train halves and the authored pairs: every other training hash is a mined negative. */
const labelledTrainingHashes = () =>
  new Set([
    ...TRAINING_SETS.flatMap((name) => readSharedPairs(dir!, name, 'train').map((p) => pairHash(p.a, p.b))),
    ...readAuthoredPairs().map((p) => pairHash(p.a, p.b)),
  ])

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
    const evaluation = evaluationPairs()
    // When
    const leaked = evaluation.filter((p) => trained.has(pairHash(p.a, p.b)))
    // Then
    expect(evaluation.length).toBeGreaterThan(10_000)
    expect(leaked.map((p) => `${p.set}: ${p.a} | ${p.b}`)).toEqual([])
  })

  it.skipIf(!dir)(`comes only from train halves of the training sets, the authored pairs and as many mined negatives as the weights file names${absent}`, () => {
    // Given the hashes of every labelled pair the trainer may use
    const labelled = labelledTrainingHashes()
    // When the committed hashes outside them are counted
    const others = [...trained].filter((h) => !labelled.has(h))
    // Then they are exactly the mined negatives the weights file lists
    const mined = weights.training.sets.filter((s) => minedSetNames.includes(s.name))
    expect(mined.map((s) => s.name)).toEqual(minedSetNames)
    expect(mined.every((s) => s.positives === 0 && s.pairs > 0)).toBe(true)
    expect(others.length).toBe(mined.reduce((n, s) => n + s.pairs, 0))
  })

  it.skipIf(!dir)(`holds no mined negative that shares a sentence with an evaluation pair (a sample of each miner)${absent}`, () => {
    // Given the first 150 pairs of each miner (mining is deterministic and stops at its limit, so these are the shipped run's first pairs)
    const sample = mineHardNegatives(join(dir!, '..'), loadStaticEmbedder(), loadIdfTable(), 150).flatMap((set) => set.pairs.map((p) => ({ set: set.name, ...p })))
    const evaluationSentences = new Set(evaluationPairs().flatMap((p) => [normalizeQuery(p.a), normalizeQuery(p.b)]))
    const touchesEvaluation = (p: { a: string; b: string }) => evaluationSentences.has(normalizeQuery(p.a)) || evaluationSentences.has(normalizeQuery(p.b))
    const labelled = labelledTrainingHashes()
    // When the sample's pairs trained on as mined negatives are picked (a mined pair may also be a labelled training pair)
    const kept = sample.filter((p) => trained.has(pairHash(p.a, p.b)) && !labelled.has(pairHash(p.a, p.b)))
    const leaked = kept.filter(touchesEvaluation)
    // Then every miner contributed, mined pairs touching an evaluation sentence were there to drop, and none was kept
    expect(new Set(kept.map((p) => p.set))).toEqual(new Set(minedSetNames))
    expect(sample.filter(touchesEvaluation).length).toBeGreaterThan(0)
    expect(leaked.map((p) => `${p.set}: ${p.a} | ${p.b}`)).toEqual([])
  })
})
