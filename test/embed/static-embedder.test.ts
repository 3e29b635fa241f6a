import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { fixturePath } from '../../src/core/util/package-paths.js'
import { cosineSimilarity } from '../../src/core/util/vectors.js'
import { STATIC_VECTOR_FIXTURE, StaticEmbedder, loadStaticEmbedder } from '../../src/embed/static-embedder.js'
import { decodeWordVectors } from '../../src/embed/word-vectors.js'

const norm = (v: Float32Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0))

describe('StaticEmbedder', () => {
  const embedder = loadStaticEmbedder()

  it('returns one unit-length vector of the declared dimensions per text', async () => {
    // Given two texts
    // When
    const vectors = await embedder.embed(['What is the population of France?', 'Reset my password'])
    // Then
    expect(vectors).toHaveLength(2)
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array)
      expect(v.length).toBe(embedder.dimensions)
      expect(norm(v)).toBeCloseTo(1, 5)
    }
    expect(embedder.dimensions).toBeLessThanOrEqual(512)
  })

  it('is deterministic across calls and across instances', async () => {
    // Given a second embedder loaded independently with the same settings
    const other = new StaticEmbedder(decodeWordVectors(readFileSync(fixturePath('vectors', STATIC_VECTOR_FIXTURE))))
    const text = 'How do I convert a list to a string in Python?'
    // When
    const [first] = await embedder.embed([text])
    const [second] = await embedder.embed([text])
    const [third] = await other.embed([text])
    // Then
    expect(Array.from(second)).toEqual(Array.from(first))
    expect(Array.from(third)).toEqual(Array.from(first))
    expect(other.fingerprint).toBe(embedder.fingerprint)
  })

  it('scores a paraphrase above an unrelated question', async () => {
    // Given a question, its paraphrase and an unrelated question
    const [q, paraphrase, unrelated] = await embedder.embed([
      'How can I reset my email password?',
      'How do I reset the password of my email account?',
      'What is the tallest mountain in Africa?',
    ])
    // When
    const close = cosineSimilarity(q, paraphrase)
    const far = cosineSimilarity(q, unrelated)
    // Then
    expect(close).toBeGreaterThan(far + 0.2)
  })

  it('gives unknown words a non-zero vector that tells them apart', async () => {
    // Given words that are not in the GloVe vocabulary
    const [unknown, same, other] = await embedder.embed(['Zyxqwerty', 'zyxqwerty', 'Plorbnak'])
    // When / Then
    expect(norm(unknown)).toBeCloseTo(1, 5)
    expect(cosineSimilarity(unknown, same)).toBeCloseTo(1, 5)
    expect(cosineSimilarity(unknown, other)).toBeLessThan(0.5)
  })

  it('maps texts without words to one shared unit vector', async () => {
    // Given texts without any word, and a real question
    // When
    const [empty, punctuation, question] = await embedder.embed(['', '  ?! ', 'What is the capital of France?'])
    // Then
    expect(empty.length).toBe(embedder.dimensions)
    expect(norm(empty)).toBeCloseTo(1, 5)
    expect(Array.from(punctuation)).toEqual(Array.from(empty))
    expect(Math.abs(cosineSimilarity(empty, question))).toBeLessThan(0.3)
  })

  it('names its settings in the fingerprint', () => {
    // Given an embedder with a different mix
    const other = new StaticEmbedder({ words: ['the'], dimensions: 2, values: Float32Array.from([1, 0]) }, { bigramWeight: 0 })
    // When / Then
    expect(embedder.fingerprint).toMatch(/^static:glove50-.*:v1$/)
    expect(other.fingerprint).not.toBe(embedder.fingerprint)
  })

  it('stops when the signal is aborted', async () => {
    // Given an aborted signal
    const controller = new AbortController()
    controller.abort()
    // When / Then
    await expect(embedder.embed(['anything'], controller.signal)).rejects.toThrow()
  })

  it('is loaded once', () => {
    // Given / When / Then
    expect(loadStaticEmbedder()).toBe(embedder)
  })
})
