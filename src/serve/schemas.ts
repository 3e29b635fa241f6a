/** JSON schemas of every request the service accepts; unknown fields are errors, not ignored. */

const namespace = { type: 'string', minLength: 1, maxLength: 200 } as const
const tool = { type: 'string', minLength: 1, maxLength: 100 } as const
// The byte limit (MAX_QUERY_BYTES) is checked after validation, so that it can answer 413.
const query = { type: 'string', minLength: 1 } as const
const args = { type: 'object', maxProperties: 32 } as const
const ms = { type: 'integer', minimum: 0 } as const

const object = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
})

export interface LookupBody {
  query: string
  tool?: string
  args?: Record<string, unknown>
  namespace?: string
  maxAgeMs?: number
}

export interface FetchBody extends LookupBody {
  noCache?: boolean
  refresh?: boolean
}

export interface StoreBody {
  query: string
  result: unknown
  tool?: string
  args?: Record<string, unknown>
  namespace?: string
  latencyMs?: number
  costUsd?: number
  staticity?: number
  ttlMs?: number
}

export const lookupSchema = { body: object({ query, tool, args, namespace, maxAgeMs: ms }, ['query']) }

export const fetchSchema = {
  body: object({ query, tool, args, namespace, maxAgeMs: ms, noCache: { type: 'boolean' }, refresh: { type: 'boolean' } }, ['query']),
}

export const storeSchema = {
  body: object(
    {
      query,
      result: { not: { type: 'null' } },
      tool,
      args,
      namespace,
      latencyMs: { type: 'number', minimum: 0 },
      costUsd: { type: 'number', minimum: 0 },
      staticity: { type: 'integer', minimum: 1, maximum: 10 },
      ttlMs: { type: 'integer', minimum: 1 },
    },
    ['query', 'result'],
  ),
}

export interface NamespaceQuery {
  namespace?: string
}

export const namespaceSchema = { querystring: object({ namespace }) }

export interface SessionListQuery extends NamespaceQuery {
  limit: number
}

export const sessionListSchema = {
  querystring: object({ namespace, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } }),
}

export interface ElementListQuery extends NamespaceQuery {
  tool?: string
  search?: string
  expired?: boolean
  sort?: 'hits' | 'cost' | 'recent'
  limit: number
}

export const elementListSchema = {
  querystring: object({
    namespace,
    tool,
    search: { type: 'string', minLength: 1, maxLength: 1000 },
    expired: { type: 'boolean' },
    sort: { type: 'string', enum: ['hits', 'cost', 'recent'], default: 'recent' },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
  }),
}

export interface ElementParams {
  id: number
}

export const elementSchema = {
  params: object({ id: { type: 'integer', minimum: 1 } }, ['id']),
  querystring: object({ namespace }),
}

export interface SearxngQuery {
  q: string
  format: 'json'
  pageno?: number
  language?: string
  time_range?: string
  categories?: string
  engines?: string
  safesearch?: number
}

export const searxngSchema = {
  // Clients written for SearXNG send parameters of their own (theme, image_proxy...): ignored.
  querystring: {
    type: 'object',
    required: ['q', 'format'],
    properties: {
      q: query,
      format: { type: 'string', enum: ['json'] },
      pageno: { type: 'integer', minimum: 1 },
      language: { type: 'string', maxLength: 50 },
      time_range: { type: 'string', enum: ['', 'day', 'week', 'month', 'year'] },
      categories: { type: 'string', maxLength: 200 },
      engines: { type: 'string', maxLength: 200 },
      safesearch: { type: 'integer', enum: [0, 1, 2] },
    },
  },
}

export const mcpSchema = { body: { anyOf: [{ type: 'object' }, { type: 'array' }] } }
