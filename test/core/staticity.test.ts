import { describe, expect, it } from 'vitest'
import { DEFAULT_TTL_BY_STATICITY_MS, scoreStaticity, staticityToTtl } from '../../src/core/staticity.js'

describe('scoreStaticity', () => {
  it('scores volatile questions low and historical ones high', () => {
    expect(scoreStaticity('weather in Paris today')).toBe(1)
    expect(scoreStaticity('bitcoin price now')).toBe(1)
    expect(scoreStaticity('latest version of node')).toBe(3)
    expect(scoreStaticity('who wrote the declaration of independence')).toBe(9)
    expect(scoreStaticity('how do magnets work')).toBe(7)
  })
})

describe('staticityToTtl', () => {
  it('maps each level to its TTL and clamps out-of-range levels', () => {
    expect(staticityToTtl(1)).toBe(DEFAULT_TTL_BY_STATICITY_MS[0])
    expect(staticityToTtl(10)).toBe(DEFAULT_TTL_BY_STATICITY_MS[9])
    expect(staticityToTtl(0)).toBe(DEFAULT_TTL_BY_STATICITY_MS[0])
    expect(staticityToTtl(42)).toBe(DEFAULT_TTL_BY_STATICITY_MS[9])
    expect(staticityToTtl(3, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBe(3)
  })
})

describe('word tables', () => {
  it('treat words that name Object.prototype members as plain words', () => {
    // Found by the scope property test: "constructor" once scored staticity NaN
    expect(scoreStaticity('constructor')).toBe(7)
    expect(scoreStaticity('toString of hasOwnProperty')).toBe(7)
  })
})
