import type { KnowledgeSource, SourceCall, SourceDocument } from '../core/ports/knowledge-source.js'
import type { SourceHttpClient } from './http-client.js'
import { resultCount } from './result-count.js'

export interface WikipediaOptions {
  /** The MediaWiki action API endpoint, e.g. https://en.wikipedia.org/w/api.php. */
  apiUrl: string
  http: SourceHttpClient
}

interface WikipediaPage {
  pageid?: number
  title?: string
  index?: number
  extract?: string
  fullurl?: string
}

/**
 * Wikipedia (any MediaWiki) through one action-API call: full-text search as a generator,
 * with each hit's plain-text introduction and URL. Free; be kind to the servers.
 */
export class WikipediaSource implements KnowledgeSource {
  readonly name = 'wikipedia'
  readonly pricePerCallUsd = 0

  constructor(private readonly options: WikipediaOptions) {}

  async search(query: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<SourceCall> {
    const k = resultCount(args.k, this.name, 3)
    const params = new URLSearchParams({
      action: 'query',
      format: 'json',
      formatversion: '2',
      generator: 'search',
      gsrsearch: query,
      gsrlimit: String(k),
      prop: 'extracts|info',
      exintro: '1',
      explaintext: '1',
      exlimit: String(k),
      inprop: 'url',
      redirects: '1',
    })
    const response = await this.options.http.json({ url: `${this.options.apiUrl}?${params}`, signal })
    const body = response.body as { query?: { pages?: WikipediaPage[] }; error?: { info?: string } }
    const pages = Array.isArray(body?.query?.pages) ? body.query.pages : []
    const documents: SourceDocument[] = pages
      .filter((p) => typeof p.title === 'string' && typeof p.extract === 'string' && p.extract.trim() !== '')
      .sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
      .map((p) => ({ id: String(p.pageid ?? p.title), title: p.title, text: p.extract!.trim(), url: p.fullurl }))
    return { result: { documents }, latencyMs: response.latencyMs, costUsd: this.pricePerCallUsd }
  }
}
