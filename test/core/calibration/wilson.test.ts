import { describe, expect, it } from 'vitest'
import { trialsToCertify, wilsonInterval } from '../../../src/core/calibration/wilson.js'

describe('wilsonInterval', () => {
  it('matches hand-computed 95% intervals', () => {
    // Given counts whose Wilson intervals were worked out by hand (and agree with statsmodels' proportion_confint(method="wilson"))
    // When the intervals are computed
    const ninetyFive = wilsonInterval(95, 100)
    const allTen = wilsonInterval(10, 10)
    const noneOfTen = wilsonInterval(0, 10)
    // Then 95/100 is [0.8882, 0.9785]; 10/10 has lower bound n/(n+z^2) = 0.7225; 0/10 has upper bound z^2/(n+z^2) = 0.2775
    expect(ninetyFive.estimate).toBe(0.95)
    expect(ninetyFive.lower).toBeCloseTo(0.8882, 4)
    expect(ninetyFive.upper).toBeCloseTo(0.9785, 4)
    expect(allTen.lower).toBeCloseTo(10 / (10 + 1.959964 ** 2), 6)
    expect(allTen.upper).toBe(1)
    expect(noneOfTen.lower).toBe(0)
    expect(noneOfTen.upper).toBeCloseTo(1.959964 ** 2 / (10 + 1.959964 ** 2), 6)
  })

  it('is the whole range with no trials, and narrows as trials grow', () => {
    expect(wilsonInterval(0, 0)).toEqual({ estimate: null, lower: 0, upper: 1, trials: 0 })
    const small = wilsonInterval(99, 100)
    const large = wilsonInterval(9900, 10000)
    expect(large.upper - large.lower).toBeLessThan(small.upper - small.lower)
    expect(large.lower).toBeGreaterThan(0.987)
  })

  it('uses the z it is given (z = 1: about 68% two-sided)', () => {
    const z1 = wilsonInterval(9, 10, 1)
    expect(z1.lower).toBeCloseTo((0.9 + 1 / 20 - Math.sqrt(0.009 + 1 / 400)) / 1.1, 6)
  })

  it('rejects impossible counts', () => {
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError)
    expect(() => wilsonInterval(1, 2.5)).toThrow(RangeError)
  })
})

describe('trialsToCertify', () => {
  it('is the smallest all-success sample whose lower bound reaches the target', () => {
    // Given a 99% target at 95% confidence
    const n = trialsToCertify(0.99)
    // Then n all-right verifications certify it and n - 1 do not
    expect(n).toBe(381)
    expect(wilsonInterval(n, n).lower).toBeGreaterThanOrEqual(0.99)
    expect(wilsonInterval(n - 1, n - 1).lower).toBeLessThan(0.99)
  })
})
