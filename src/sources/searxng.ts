import type { KnowledgeSource, SourceCall, SourceDocument } from '../core/ports/knowledge-source.js'
import type { SourceHttpClient } from './http-client.js'
import { resultCount } from './result-count.js'

export interface SearxngOptions {
  /** The instance's root, e.g. http://127.0.0.1:8888; its settings.yml must list json in search.formats. */
  baseUrl: string
  http: SourceHttpClient
}

interface SearxngResult {
  url?: string
  title?: string
  content?: string
  score?: number
}

/** A self-hosted SearXNG metasearch instance through its JSON API. Free. */
export class SearxngSource implements KnowledgeSource {
  readonly name = 'searxng'
  readonly pricePerCallUsd = 0

  constructor(private readonly options: SearxngOptions) {}

  async search(query: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<SourceCall> {
    const k = resultCount(args.k, this.name)
    const params = new URLSearchParams({ q: query, format: 'json' })
    if (typeof args.language === 'string') params.set('language', args.language)
    const response = await this.options.http.json({ url: `${this.options.baseUrl}/search?${params}`, signal })
    const results = (response.body as { results?: SearxngResult[] })?.results
    const documents: SourceDocument[] = (Array.isArray(results) ? results : [])
      .filter((r) => typeof r.url === 'string' && (r.content ?? r.title))
      .slice(0, k)
      .map((r) => ({ id: r.url!, title: r.title, text: (r.content ?? r.title ?? '').trim(), url: r.url, score: r.score }))
    return { result: { documents }, latencyMs: response.latencyMs, costUsd: this.pricePerCallUsd }
  }
}
