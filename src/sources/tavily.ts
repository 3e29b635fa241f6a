import type { KnowledgeSource, SourceCall, SourceDocument } from '../core/ports/knowledge-source.js'
import type { SourceHttpClient } from './http-client.js'
import { resultCount } from './result-count.js'

export interface TavilyOptions {
  baseUrl: string
  /** From TAVILY_API_KEY; held in memory only. */
  apiKey: string
  http: SourceHttpClient
  priceUsd?: number
}

/** One basic search is one API credit; pay-as-you-go credits cost $0.008. */
export const TAVILY_PRICE_USD = 0.008

interface TavilyResult {
  title?: string
  url?: string
  content?: string
  score?: number
}

/** Tavily's search API (POST /search, bearer key). */
export class TavilySource implements KnowledgeSource {
  readonly name = 'tavily'
  readonly pricePerCallUsd: number

  constructor(private readonly options: TavilyOptions) {
    this.pricePerCallUsd = options.priceUsd ?? TAVILY_PRICE_USD
  }

  async search(query: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<SourceCall> {
    const k = resultCount(args.k, this.name)
    const response = await this.options.http.json({
      url: `${this.options.baseUrl}/search`,
      method: 'POST',
      headers: { authorization: `Bearer ${this.options.apiKey}` },
      body: { query, max_results: k, search_depth: 'basic' },
      signal,
    })
    const results = (response.body as { results?: TavilyResult[] })?.results
    const documents: SourceDocument[] = (Array.isArray(results) ? results : [])
      .filter((r) => typeof r.url === 'string' && typeof r.content === 'string')
      .slice(0, k)
      .map((r) => ({ id: r.url!, title: r.title, text: r.content!.trim(), url: r.url, score: r.score }))
    return { result: { documents }, latencyMs: response.latencyMs, costUsd: this.pricePerCallUsd }
  }
}
