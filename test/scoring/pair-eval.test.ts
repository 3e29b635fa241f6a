import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { evaluatePairs } from '../../src/scoring/pair-eval.js'
import { parsePairLines, readPairsFile, selectPairs } from '../../src/scoring/pairs-file.js'
import { pairSplit } from '../../src/scoring/pair-splits.js'
import { guardPolicy, thresholdOnlyPolicy, type HitPolicy, type Judge } from '../../src/core/ports/hit-policy.js'
import { FakeEmbedder } from '../helpers/fake-embedder.js'
import { useTempDirs } from '../helpers/temp-dir.js'

const tempDir = useTempDirs()

const PAIRS = [
  { a: 'who wrote the declaration of independence', b: 'who was the author of the declaration of independence', equivalent: true },
  { a: 'What is DNA?', b: 'what is dna', equivalent: true },
  { a: 'population of France in 2020', b: 'population of France in 2021', equivalent: false },
  { a: 'largest city in Germany', b: 'smallest city in Germany', equivalent: false },
  { a: 'how do volcanoes form', b: 'recipe for banana bread', equivalent: false },
  { a: 'how do I buy a car', b: 'how can I purchase a car', equivalent: true },
]

describe('parsePairLines', () => {
  it('reads the public format and skips blank lines', () => {
    expect(parsePairLines('{"a":"x","b":"y","equivalent":true}\n\n{"a":"p","b":"q","equivalent":false}\n')).toEqual([
      { a: 'x', b: 'y', equivalent: true },
      { a: 'p', b: 'q', equivalent: false },
    ])
  })

  it('checks every line and names the bad ones (exit code 9)', () => {
    const text = ['{"a":"x","b":"y","equivalent":true}', '{"a":"x","b":"y","equivalent":"yes"}', 'not json', '[1]', '{"a":"","b":"y","equivalent":true}'].join('\n')
    expect(() => parsePairLines(text, 'pairs.jsonl')).toThrow(
      'pairs.jsonl is not a valid pairs file: line 2: expected "equivalent" to be true or false, received "yes"; line 3: expected a JSON object, received "not json"; line 4: expected a JSON object, received an array (and 1 more bad lines).',
    )
    let error: unknown
    try {
      parsePairLines('nope')
    } catch (caught) {
      error = caught
    }
    expect(error).toMatchObject({ code: 'IMPORT', exitCode: 9 })
  })

  it('rejects a file without pairs', () => {
    expect(() => parsePairLines('\n\n', 'empty.jsonl')).toThrow('empty.jsonl holds no pairs.')
  })
})

describe('readPairsFile', () => {
  it('reports a missing file as bad input (exit code 2)', () => {
    expect(() => readPairsFile(join(tempDir(), 'absent.jsonl'))).toThrow(expect.objectContaining({ code: 'BAD_INPUT', exitCode: 2, message: expect.stringContaining('(ENOENT)') }))
  })

  it('reads a file from disk', () => {
    const path = join(tempDir(), 'pairs.jsonl')
    writeFileSync(path, PAIRS.map((p) => JSON.stringify(p)).join('\n'))
    expect(readPairsFile(path)).toEqual(PAIRS)
  })
})

describe('selectPairs', () => {
  it('keeps the halves of the fixed hash split', () => {
    const train = selectPairs(PAIRS, 'train')
    const heldout = selectPairs(PAIRS, 'heldout')
    expect(train.length + heldout.length).toBe(PAIRS.length)
    expect(train.every((p) => pairSplit(p.a, p.b) === 'train')).toBe(true)
    expect(selectPairs(PAIRS, 'all')).toBe(PAIRS)
  })
})

describe('evaluatePairs', () => {
  it('reports the confusion matrix, precision, recall and guard rejections of the guard policy', async () => {
    // Given the guard at tau_sim 0.5
    const report = await evaluatePairs(PAIRS, { embedder: new FakeEmbedder(), policy: guardPolicy, thresholds: { tauSim: 0.5, tauJudge: 0 } })
    // Then the year, the opposite and the unrelated pairs are each rejected by the guard, for their own reasons
    expect(report).toMatchObject({ pairs: 6, positives: 3, negatives: 3, policy: 'guard', judge: null, guardRejections: 3 })
    expect(report.guardReasons).toEqual({ date: 1, antonym: 1, content: 1, 'question-type': 1 })
    expect(report.confusion.falsePositives).toBe(0)
    expect(report.confusion.trueNegatives).toBe(3)
    expect(report.precision).toBe(1)
    expect(report.falsePositiveRate).toBe(0)
    expect(report.recall).toBe(report.confusion.truePositives / 3)
    expect(report.rocAuc.similarity).toBeGreaterThan(0.5)
    expect(report.latencyMs.total.p50).toBeGreaterThanOrEqual(0)
    expect(report.sweep).toBeUndefined()
  })

  it('without the guard accepts the near-duplicates that differ in year and superlative', async () => {
    const report = await evaluatePairs(PAIRS, { embedder: new FakeEmbedder(), policy: thresholdOnlyPolicy, thresholds: { tauSim: 0.5, tauJudge: 0 } })
    expect(report.confusion.falsePositives).toBe(2)
    expect(report.guardRejections).toBe(0)
  })

  it('sweeps tau_sim and recommends the lowest threshold that meets the target precision', async () => {
    const report = await evaluatePairs(PAIRS, { embedder: new FakeEmbedder(), policy: thresholdOnlyPolicy, thresholds: { tauSim: 0.5, tauJudge: 0 }, sweep: true, targetPrecision: 0.99 })
    const sweep = report.sweep!
    expect(sweep.axis).toBe('tauSim')
    expect(sweep.points[0].threshold).toBe(0.3)
    expect(sweep.points.at(-1)!.threshold).toBe(0.99)
    expect(sweep.recommended!.precision).toBeGreaterThanOrEqual(0.99)
    // And the recommendation excludes every negative: all of them score below it
    const negativeMax = Math.max(...(await Promise.all(PAIRS.filter((p) => !p.equivalent).map(async (p) => {
      const [a, b] = await new FakeEmbedder().embed([p.a, p.b])
      return a.reduce((s, x, i) => s + x * b[i], 0)
    }))))
    expect(sweep.recommended!.threshold).toBeGreaterThan(negativeMax)
  })

  it('scores judged pairs with the judge, counts its errors as rejections, and sweeps tau_judge', async () => {
    // Given a judge that says yes to "author" pairs, no otherwise, and fails on "buy"
    const judge: Judge = {
      name: 'stub',
      async judge(query) {
        if (query.includes('buy')) throw new Error('model crashed')
        return [{ score: query.includes('wrote') ? 0.9 : 0.1 }]
      },
    }
    const policy: HitPolicy = { name: 'stub', useGuard: true, judge }
    const report = await evaluatePairs(PAIRS, { embedder: new FakeEmbedder(), policy, thresholds: { tauSim: 0.3, tauJudge: 0.5 }, sweep: true })
    // Then the exact pair is accepted without the judge, the author pair by it, the failing pair rejected
    expect(report.judge).toBe('stub')
    expect(report.judgeErrors).toBe(1)
    expect(report.confusion).toMatchObject({ truePositives: 2, falsePositives: 0 })
    expect(report.rocAuc.judgedPairs).toBeGreaterThanOrEqual(1)
    expect(report.sweep!.axis).toBe('tauJudge')
  })
})
