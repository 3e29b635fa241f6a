/**
 * One cached knowledge access (DESIGN.md, "Semantic Element"): the question, where it was
 * asked, what came back, and what the original remote call cost.
 */
export interface SemanticElement {
  id: number
  query: string
  /** The exact-match key (normalizeQuery). */
  normalizedQuery: string
  namespace: string
  tool: string
  args: Record<string, unknown>
  scopeKey: string
  /**
   * The knowledge source that produced the result (part of the scope: see core/scope.ts);
   * '' when the caller named none, as in elements stored before sources were recorded.
   */
  source: string
  /** Fingerprint of the embedder that produced `embedding`. */
  embedder: string
  embedding?: Float32Array
  /** The stored result payload, as the knowledge source returned it. */
  result: unknown
  /** Latency of the original remote call, ms. */
  latencyMs: number
  /** Price of the original remote call, USD. */
  costUsd: number
  /** 1 = changes by the minute ... 10 = never changes. */
  staticity: number
  /** Hits served from this element (0 when new or prefetched). */
  frequency: number
  sizeBytes: number
  createdAt: number
  lastAccessAt: number
  /** Fixed at store time; hits never extend it. */
  expiresAt: number
  /** Where the element came from: a miss, a prefetch, an import. */
  origin: 'miss' | 'prefetch' | 'import' | 'store'
}

/** What a caller provides to store an element; the cache fills in the rest. */
export interface ElementInput {
  query: string
  tool?: string
  args?: Record<string, unknown>
  namespace?: string
  result: unknown
  latencyMs?: number
  costUsd?: number
  staticity?: number
  /** Overrides the TTL derived from staticity, ms. */
  ttlMs?: number
}

export function resultSizeBytes(result: unknown): number {
  return Buffer.byteLength(JSON.stringify(result) ?? '', 'utf8')
}
