/**
 * Turns texts into vectors. The fingerprint names the exact model and settings: vectors of
 * different fingerprints are never compared (each gets its own vector table and thresholds).
 */
export interface Embedder {
  /** Human-readable model name, e.g. "static-glove50-sif" or "nomic-embed-text". */
  readonly model: string
  readonly dimensions: number
  /** Stable identifier of model + settings, e.g. "static:glove50-sif-cng:v1". */
  readonly fingerprint: string
  /** One unit-length vector per text, in order. */
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>
}

export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i]
    na += a[i] * a[i]
    nb += b[i] * b[i]
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb)
}

export function normalizeVector(v: Float32Array): Float32Array {
  let n = 0
  for (let i = 0; i < v.length; i++) n += v[i] * v[i]
  n = Math.sqrt(n)
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] /= n
  return v
}
