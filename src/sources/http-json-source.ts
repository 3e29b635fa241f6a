import type { HttpSourceSpec } from '../config/source-config.js'
import { AsteriaError } from '../core/errors.js'
import type { KnowledgeSource, SourceCall, SourceDocument } from '../core/ports/knowledge-source.js'
import type { SourceHttpClient } from './http-client.js'
import { resultCount } from './result-count.js'

export interface HttpJsonSourceOptions {
  spec: HttpSourceSpec
  /** Header values resolved from spec.headersFromEnv (secrets: the client redacts them). */
  secretHeaders: Record<string, string>
  http: SourceHttpClient
}

/** Any JSON search endpoint described by a small configuration (URL template, result path, fields). */
export class HttpJsonSource implements KnowledgeSource {
  readonly name: string
  readonly pricePerCallUsd: number

  constructor(private readonly options: HttpJsonSourceOptions) {
    this.name = options.spec.name ?? 'http'
    this.pricePerCallUsd = options.spec.priceUsd ?? 0
  }

  async search(query: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<SourceCall> {
    const { spec } = this.options
    const k = resultCount(args.k, this.name)
    const fill = (template: string) => template.replaceAll('{query}', encodeURIComponent(query)).replaceAll('{k}', String(k))
    const response = await this.options.http.json({
      url: fill(spec.url),
      method: spec.method ?? 'GET',
      headers: { ...spec.headers, ...this.options.secretHeaders },
      body: spec.method === 'POST' ? fillBody(spec.body ?? { query: '{query}' }, query, k) : undefined,
      signal,
    })
    const items = valueAt(response.body, spec.resultPath)
    if (!Array.isArray(items)) {
      throw new AsteriaError('SOURCE', `The ${this.name} source answered, but resultPath "${spec.resultPath}" does not lead to an array (found ${describe(items)}).`, {
        suggestions: ['Fix resultPath in the http source configuration: the dotted path to the list of results ("" for the body itself).'],
      })
    }
    const documents: SourceDocument[] = []
    for (const [index, item] of items.entries()) {
      const text = valueAt(item, spec.fields.text)
      if (typeof text !== 'string' || text.trim() === '') continue
      const title = spec.fields.title === undefined ? undefined : valueAt(item, spec.fields.title)
      const url = spec.fields.url === undefined ? undefined : valueAt(item, spec.fields.url)
      const id = spec.fields.id === undefined ? undefined : valueAt(item, spec.fields.id)
      documents.push({
        id: String(id ?? url ?? index),
        title: typeof title === 'string' ? title : undefined,
        text: text.trim(),
        url: typeof url === 'string' ? url : undefined,
      })
      if (documents.length === k) break
    }
    return { result: { documents }, latencyMs: response.latencyMs, costUsd: this.pricePerCallUsd }
  }
}

/** Reads "a.b.0.c" from parsed JSON; "" is the value itself. */
export function valueAt(value: unknown, path: string): unknown {
  if (path === '') return value
  return path.split('.').reduce<unknown>((current, key) => {
    if (current === null || typeof current !== 'object') return undefined
    return (current as Record<string, unknown>)[key]
  }, value)
}

function fillBody(body: unknown, query: string, k: number): unknown {
  if (body === '{query}') return query
  if (body === '{k}') return k
  if (Array.isArray(body)) return body.map((item) => fillBody(item, query, k))
  if (body !== null && typeof body === 'object') {
    return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, fillBody(value, query, k)]))
  }
  return body
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  return Array.isArray(value) ? 'an array' : typeof value
}
