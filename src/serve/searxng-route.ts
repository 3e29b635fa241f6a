import type { FastifyInstance } from 'fastify'
import { searxngSchema, type SearxngQuery } from './schemas.js'
import { requireQuerySize, type ServeContext } from './serve-context.js'
import { searxngLaterPage, searxngResponse, searxngScopeArgs } from './searxng-shape.js'

/** `GET /search?q=...&format=json`: a drop-in for tools pointed at SearXNG, answered through the cache. */
export function registerSearxngRoute(app: FastifyInstance, ctx: ServeContext): void {
  app.get<{ Querystring: SearxngQuery }>(
    '/search',
    { schema: searxngSchema, config: { example: 'GET /search?q=who+wrote+hamlet&format=json' } },
    async (request) => {
      const { q, format: _format, pageno, ...params } = request.query
      requireQuerySize(q)
      if (pageno !== undefined && pageno > 1) return searxngLaterPage(q)
      const namespace = request.tenant.namespace
      const fetched = await ctx.perform(() => ctx.asteria.ask(q, { tool: 'search', args: searxngScopeArgs(params), namespace }))
      return searxngResponse(q, fetched, ctx.asteria.source().name)
    },
  )
}
