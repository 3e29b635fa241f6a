import type { FastifyInstance } from 'fastify'
import { elementJson } from '../report/fetch-json.js'
import { lookupJson, servedJson } from '../report/serve-json.js'
import { fetchSchema, lookupSchema, storeSchema, type FetchBody, type LookupBody, type StoreBody } from './schemas.js'
import { requireQuerySize, type ServeContext } from './serve-context.js'
import { namespaceFor } from './tenant.js'

/** Look up, store, and fetch through the configured knowledge source. */
export function registerCacheRoutes(app: FastifyInstance, ctx: ServeContext): void {
  const { cache } = ctx.asteria

  app.post<{ Body: LookupBody }>(
    '/v1/lookup',
    { schema: lookupSchema, config: { example: '{"query": "who wrote hamlet"}' } },
    async (request) => {
      const { query, tool, args, maxAgeMs } = request.body
      requireQuerySize(query)
      const namespace = namespaceFor(request.tenant, request.body.namespace)
      const found = await ctx.perform(() => cache.lookup(query, { tool, args, namespace }, maxAgeMs))
      return lookupJson(query, found, ctx.now())
    },
  )

  app.post<{ Body: StoreBody }>(
    '/v1/store',
    { schema: storeSchema, config: { example: '{"query": "who wrote hamlet", "result": {"documents": [{"id": "1", "text": "Shakespeare"}]}}' } },
    async (request, reply) => {
      const { namespace: requested, ...input } = request.body
      requireQuerySize(input.query)
      const namespace = namespaceFor(request.tenant, requested)
      const element = await ctx.perform(() => cache.store({ ...input, namespace }))
      return reply.code(201).send({ element: elementJson(element, ctx.now()) })
    },
  )

  app.post<{ Body: FetchBody }>(
    '/v1/fetch',
    { schema: fetchSchema, config: { example: '{"query": "who wrote hamlet"}' } },
    async (request) => {
      const { query, namespace: requested, ...options } = request.body
      requireQuerySize(query)
      const namespace = namespaceFor(request.tenant, requested)
      const result = await ctx.perform(() => ctx.asteria.ask(query, { ...options, namespace }))
      return servedJson(query, result, ctx.now())
    },
  )
}
