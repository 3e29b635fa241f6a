import type { KnowledgeSource, SourceCall, SourceDocument } from '../core/ports/knowledge-source.js'
import type { SourceHttpClient } from './http-client.js'
import { resultCount } from './result-count.js'

export interface BraveOptions {
  baseUrl: string
  /** From BRAVE_API_KEY; held in memory only. */
  apiKey: string
  http: SourceHttpClient
  priceUsd?: number
}

/** Brave Search API, paid plans: about $5 per 1,000 queries. */
export const BRAVE_PRICE_USD = 0.005

interface BraveResult {
  title?: string
  url?: string
  description?: string
  extra_snippets?: string[]
}

/** Brave's web search API (GET /res/v1/web/search, X-Subscription-Token). */
export class BraveSource implements KnowledgeSource {
  readonly name = 'brave'
  readonly pricePerCallUsd: number

  constructor(private readonly options: BraveOptions) {
    this.pricePerCallUsd = options.priceUsd ?? BRAVE_PRICE_USD
  }

  async search(query: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<SourceCall> {
    const k = resultCount(args.k, this.name)
    const params = new URLSearchParams({ q: query, count: String(k) })
    const response = await this.options.http.json({
      url: `${this.options.baseUrl}/res/v1/web/search?${params}`,
      headers: { 'x-subscription-token': this.options.apiKey },
      signal,
    })
    const results = (response.body as { web?: { results?: BraveResult[] } })?.web?.results
    const documents: SourceDocument[] = (Array.isArray(results) ? results : [])
      .filter((r) => typeof r.url === 'string' && typeof r.description === 'string')
      .slice(0, k)
      .map((r) => ({
        id: r.url!,
        title: r.title,
        text: [r.description!, ...(r.extra_snippets ?? [])].map((t) => stripTags(t)).join(' ').trim(),
        url: r.url,
      }))
    return { result: { documents }, latencyMs: response.latencyMs, costUsd: this.pricePerCallUsd }
  }
}

/** Brave marks matched words with <strong>. */
function stripTags(text: string): string {
  return text.replace(/<\/?[a-z][^>]*>/gi, '')
}
