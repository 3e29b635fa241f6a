import type { FetchResult } from '../core/cache/requests.js'
import type { SourceDocument } from '../core/ports/knowledge-source.js'
import { savingOf } from '../report/serve-json.js'
import type { SearxngQuery } from './schemas.js'

/** One result as SearXNG's `format=json` lists it. */
export interface SearxngResult {
  url: string
  title: string
  content: string
  engine: string
  engines: string[]
  template: string
  parsed_url: string[]
  positions: number[]
  score: number
  category: string
  publishedDate: null
}

/** The whole answer as SearXNG's `format=json` gives it, plus Asteria's own `asteria` block. */
export interface SearxngResponse {
  query: string
  number_of_results: number
  results: SearxngResult[]
  answers: string[]
  corrections: string[]
  infoboxes: unknown[]
  suggestions: string[]
  unresponsive_engines: [string, string][]
  asteria: {
    hit: boolean
    source: FetchResult['source'] | 'none'
    kind: string
    similarity: number | null
    elementId: number | null
    reason: string
    saved: { latencyMs: number; costUsd: number }
    paid: { latencyMs: number; costUsd: number }
  }
}

/** Maps a knowledge source's documents to SearXNG results; position n scores 1/n, as one SearXNG engine would. */
export function searxngResponse(query: string, fetched: FetchResult, engine: string): SearxngResponse {
  const results = documentsOf(fetched.result).map((doc, index) => searxngResult(doc, index + 1, engine))
  return {
    ...emptyAnswer(query),
    number_of_results: results.length,
    results,
    asteria: {
      hit: fetched.decision.hit,
      source: fetched.source,
      kind: fetched.decision.kind,
      similarity: fetched.decision.similarity,
      elementId: fetched.element?.id ?? null,
      reason: fetched.decision.reason,
      saved: savingOf(fetched.source === 'cache', fetched.element),
      paid: { latencyMs: fetched.latencyMs, costUsd: fetched.costUsd },
    },
  }
}

/** A later page: the source answers one page, so there is nothing more (nothing is looked up). */
export function searxngLaterPage(query: string): SearxngResponse {
  return {
    ...emptyAnswer(query),
    number_of_results: 0,
    results: [],
    asteria: {
      hit: false, source: 'none', kind: 'none', similarity: null, elementId: null,
      reason: 'the knowledge source answers one page; later pages are empty',
      saved: { latencyMs: 0, costUsd: 0 }, paid: { latencyMs: 0, costUsd: 0 },
    },
  }
}

function emptyAnswer(query: string) {
  return { query, answers: [], corrections: [], infoboxes: [], suggestions: [], unresponsive_engines: [] as [string, string][] }
}

function searxngResult(doc: SourceDocument, position: number, engine: string): SearxngResult {
  const url = doc.url ?? ''
  return {
    url,
    title: doc.title ?? doc.id,
    content: doc.text,
    engine,
    engines: [engine],
    template: 'default.html',
    parsed_url: parsedUrl(url),
    positions: [position],
    score: 1 / position,
    category: 'general',
    publishedDate: null,
  }
}

/** A source's documents; a result of another shape (stored by hand) becomes one text result. */
function documentsOf(result: unknown): SourceDocument[] {
  const documents = (result as { documents?: unknown })?.documents
  if (Array.isArray(documents)) return documents.filter((d): d is SourceDocument => typeof d?.text === 'string')
  return [{ id: 'result', text: typeof result === 'string' ? result : JSON.stringify(result) }]
}

/** Python's urlparse tuple, which SearXNG sends: scheme, netloc, path, params, query, fragment. */
function parsedUrl(url: string): string[] {
  if (!URL.canParse(url)) return ['', '', url, '', '', '']
  const u = new URL(url)
  return [u.protocol.replace(/:$/, ''), u.host, u.pathname, '', u.search.replace(/^\?/, ''), u.hash.replace(/^#/, '')]
}

const DEFAULTS: Record<string, string> = { language: 'all', categories: 'general', safesearch: '0' }

/**
 * The SearXNG parameters that change what a search returns become scope arguments, so that
 * answers for one language or time range never serve another; defaults are left out so that
 * clients which send them and clients which do not share the same elements.
 */
export function searxngScopeArgs(params: Omit<SearxngQuery, 'q' | 'format' | 'pageno'>): Record<string, string> {
  const args: Record<string, string> = {}
  for (const key of ['language', 'time_range', 'categories', 'engines', 'safesearch'] as const) {
    const value = params[key] === undefined ? '' : String(params[key]).trim()
    if (value === '' || value === DEFAULTS[key] || (key === 'language' && value === 'auto')) continue
    args[key] = value
  }
  return args
}
