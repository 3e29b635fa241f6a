/** One passage, page or snippet a knowledge source returned. */
export interface SourceDocument {
  id: string
  title?: string
  text: string
  url?: string
  score?: number
}

export interface SourceResult {
  documents: SourceDocument[]
}

export interface SourceCall {
  result: SourceResult
  /** Measured (or, for the simulated region, modelled) latency of the call, ms. */
  latencyMs: number
  costUsd: number
}

/**
 * A remote knowledge source (web search, docs, code search). Each declares its price per
 * call; callers record the latency and cost of every real call in the element it produces.
 */
export interface KnowledgeSource {
  readonly name: string
  readonly pricePerCallUsd: number
  search(query: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<SourceCall>
  /** Releases files or connections the source holds. */
  close?(): void | Promise<void>
}
