import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { pairSplit } from '../../src/scoring/pair-splits.js'

describe('pairSplit', () => {
  it('follows the first byte of sha1(a + "\\t" + b)', () => {
    // Given a few pairs
    const pairs = Array.from({ length: 50 }, (_, i) => [`question ${i}`, `another question ${i * 7}`] as const)
    for (const [a, b] of pairs) {
      // When
      const split = pairSplit(a, b)
      // Then
      const firstByte = createHash('sha1').update(`${a}\t${b}`).digest()[0]
      expect(split).toBe(firstByte < 128 ? 'train' : 'heldout')
    }
  })

  it('splits roughly in half and is order-sensitive', () => {
    // Given 2,000 distinct pairs
    const splits = Array.from({ length: 2000 }, (_, i) => pairSplit(`a${i}`, `b${i}`))
    // When
    const train = splits.filter((s) => s === 'train').length
    // Then
    expect(train).toBeGreaterThan(900)
    expect(train).toBeLessThan(1100)
    expect(Array.from({ length: 50 }, (_, i) => pairSplit(`a${i}`, `b${i}`) !== pairSplit(`b${i}`, `a${i}`)).some(Boolean)).toBe(true)
  })
})
