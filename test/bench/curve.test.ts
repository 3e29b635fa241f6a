import { describe, expect, it } from 'vitest'
import { bestAtFalseHitRate, lowestFalseHitRate, tauGrid, type CurvePoint } from '../../src/bench/curve.js'
import { matchedHeadline } from '../../src/bench/headline.js'

const point = (tauSim: number, hitRate: number, falseHitRate: number | null, hitsBeyondExactRepeats = 0): CurvePoint => ({
  tauSim, hits: Math.round(hitRate * 1000), hitRate, correctHits: Math.round(hitRate * 1000 * (1 - (falseHitRate ?? 0))), hitsBeyondExactRepeats,
  falseHitRate, precision: falseHitRate === null ? null : 1 - falseHitRate, recall: hitRate,
})

describe('bestAtFalseHitRate', () => {
  const curve = [point(0.6, 0.6, 0.05), point(0.7, 0.55, 0.02), point(0.8, 0.5, 0.01), point(0.9, 0.4, 0.01)]

  it('picks the highest hit rate whose false-hit rate is at most the target', () => {
    expect(bestAtFalseHitRate(curve, 0.02)?.tauSim).toBe(0.7)
    expect(bestAtFalseHitRate(curve, 0.015)?.tauSim).toBe(0.8)
  })

  it('is null when no point gets that low, and the lowest point says how close it came', () => {
    expect(bestAtFalseHitRate(curve, 0.001)).toBeNull()
    expect(lowestFalseHitRate(curve)?.tauSim).toBe(0.8)
  })
})

describe('tauGrid', () => {
  it('spans 0.5 to 0.98 and includes the values that must be on it', () => {
    const grid = tauGrid(false, [0.75, 0.8])
    expect(grid[0]).toBe(0.5)
    expect(grid.at(-1)).toBe(0.98)
    expect(grid).toContain(0.75)
    expect(grid).toContain(0.8)
    expect(tauGrid(true, [0.7777]).length).toBeLessThan(grid.length)
    expect(tauGrid(true, [0.7777, 0.8])).toContain(0.7777)
    expect(tauGrid(true, [0.8]).filter((t) => t === 0.8)).toHaveLength(1)
  })
})

describe('matchedHeadline', () => {
  it('compares each side at the false-hit rate the other reaches', () => {
    // Given Asteria at 1% false hits and threshold-only at 0.8 with 3%
    const curves = {
      threshold: [point(0.8, 0.55, 0.03, 40), point(0.9, 0.45, 0.01), point(0.95, 0.4, 0.005)],
      asteria: [point(0.6, 0.56, 0.02), point(0.75, 0.52, 0.01, 35)],
    }
    // When compared
    const headline = matchedHeadline(curves.asteria[1], curves.threshold[0], curves)!
    // Then threshold-only at no more than 1% hits 45%, and Asteria at no more than 3% hits 56%
    expect(headline.thresholdAtAsteriaFalseHitRate?.tauSim).toBe(0.9)
    expect(headline.asteriaAtThresholdFalseHitRate?.tauSim).toBe(0.6)
    expect(headline.summary[0]).toContain('threshold-only at no more false hits (tau 0.9): hit rate 45.0%')
    expect(headline.summary[2]).toBe('Hits beyond exact repeats: Asteria 35, threshold-only at tau 0.8 40.')
  })

  it('is null when hits cannot be judged', () => {
    expect(matchedHeadline(point(0.75, 0.5, null), point(0.8, 0.5, null), { threshold: [], asteria: [] })).toBeNull()
  })
})
