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
