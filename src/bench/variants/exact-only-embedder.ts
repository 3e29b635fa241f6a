import type { Embedder } from '../../core/ports/embedder.js'

const ONE = new Float32Array([1])

/**
 * The exact-match variant's embedder: one dimension, the same vector for every text, so
 * embedding and search cost next to nothing and (with tau_sim above 1) only exact repeats hit.
 */
export class ExactOnlyEmbedder implements Embedder {
  readonly model = 'exact-only'
  readonly dimensions = 1
  readonly fingerprint = 'bench:exact-only:v1'

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map(() => ONE)
  }
}
