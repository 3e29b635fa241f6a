import { describe, expect, it } from 'vitest'
import { decodeWordVectors, encodeWordVectors } from '../../src/embed/word-vectors.js'

describe('encodeWordVectors / decodeWordVectors', () => {
  it('round-trips words exactly and values within int8 precision', () => {
    // Given three 4-d vectors, one of them all zeros
    const vectors = { words: ['the', 'café', 'zero'], dimensions: 4, values: Float32Array.from([0.5, -1, 0.25, 2, 3, 0, -3, 1, 0, 0, 0, 0]) }
    // When
    const decoded = decodeWordVectors(encodeWordVectors(vectors, { source: 'test', licence: 'none' }))
    // Then each value is within half a quantisation step (max |x| / 127 / 2) of the original
    expect(decoded.words).toEqual(vectors.words)
    expect(decoded.dimensions).toBe(4)
    const maxAbs = [2, 3, 0]
    vectors.values.forEach((x, i) => expect(Math.abs(decoded.values[i] - x)).toBeLessThanOrEqual(maxAbs[Math.floor(i / 4)] / 254 + 1e-6))
  })

  it('rejects bytes that are not a word-vector file', () => {
    // Given arbitrary bytes
    // When / Then
    expect(() => decodeWordVectors(Buffer.from('not vectors at all'))).toThrow(/bad magic/)
  })
})
