import { createHash } from 'node:crypto'
import type { Embedder } from '../../src/core/ports/embedder.js'
import { normalizeVector } from '../../src/core/util/vectors.js'
import { tokenize } from '../../src/core/normalize.js'

/**
 * A deterministic bag-of-words embedder for unit tests: texts sharing words are close.
 * Stop-like words count less so "who wrote X" and "who was the author of X" stay near.
 */
export class FakeEmbedder implements Embedder {
  readonly model = 'fake-bow'
  readonly fingerprint: string
  calls = 0

  constructor(readonly dimensions = 64, tag = 'v1') {
    this.fingerprint = `fake:bow${dimensions}:${tag}`
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    this.calls++
    return texts.map((text) => {
      const v = new Float32Array(this.dimensions)
      for (const token of tokenize(text)) {
        const h = createHash('md5').update(token).digest()
        const weight = token.length <= 3 ? 0.3 : 1
        v[h[0] % this.dimensions] += weight
        v[h[1] % this.dimensions] += weight * 0.5
      }
      if (v.every((x) => x === 0)) v[0] = 1
      return normalizeVector(v)
    })
  }
}
