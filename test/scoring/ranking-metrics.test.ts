import { describe, expect, it } from 'vitest'
import { recallAtPrecision, rocAuc, type ScoredLabel } from '../../src/scoring/ranking-metrics.js'

const labelled = (positives: number[], negatives: number[]): ScoredLabel[] => [
  ...positives.map((score) => ({ score, positive: true })),
  ...negatives.map((score) => ({ score, positive: false })),
]

describe('rocAuc', () => {
  it('is 1 when every positive outscores every negative', () => {
    // Given positives all above negatives
    const items = labelled([0.9, 0.8], [0.7, 0.1])
    // When / Then
    expect(rocAuc(items)).toBe(1)
  })

  it('counts the share of correctly ordered positive–negative pairs', () => {
    // Given 4 positive–negative pairs of which 3 are ordered correctly (0.3 < 0.5 is not)
    const items = labelled([0.9, 0.3], [0.5, 0.1])
    // When / Then
    expect(rocAuc(items)).toBe(0.75)
  })

  it('counts a tie as one half', () => {
    // Given one positive and one negative with the same score, plus one clear win
    const items = labelled([0.5, 0.9], [0.5])
    // When / Then: (0.5 + 1) / 2
    expect(rocAuc(items)).toBe(0.75)
  })

  it('is NaN when a class is empty', () => {
    // Given positives only
    // When / Then
    expect(rocAuc(labelled([0.1, 0.2], []))).toBeNaN()
  })
})

describe('recallAtPrecision', () => {
  // Sorted: 0.9 P, 0.8 P, 0.7 N, 0.6 P, 0.5 N
  const items = labelled([0.9, 0.8, 0.6], [0.7, 0.5])

  it('takes the lowest threshold that still reaches the precision', () => {
    // Given a 95% precision target
    // When
    const result = recallAtPrecision(items, 0.95)
    // Then "score >= 0.8" keeps 2 of 3 positives at precision 1; going lower drops to 3/4
    expect(result).toEqual({ recall: 2 / 3, precision: 1, threshold: 0.8 })
  })

  it('accepts a lower threshold for a looser target', () => {
    // Given a 75% precision target
    // When
    const result = recallAtPrecision(items, 0.75)
    // Then "score >= 0.6" keeps all 3 positives with 1 false positive
    expect(result).toEqual({ recall: 1, precision: 0.75, threshold: 0.6 })
  })

  it('accepts tied scores together and reports no threshold when none qualifies', () => {
    // Given the top score shared by a positive and a negative
    const tied = labelled([0.9, 0.1], [0.9])
    // When
    const result = recallAtPrecision(tied, 0.95)
    // Then no threshold reaches 95% precision
    expect(result.recall).toBe(0)
    expect(result.threshold).toBe(Number.POSITIVE_INFINITY)
  })
})
