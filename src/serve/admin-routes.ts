import type { FastifyInstance } from 'fastify'
import { cacheStats } from '../core/admin/stats.js'
import { inspectElement, listElements } from '../core/admin/elements.js'
import type { SemanticElement } from '../core/semantic-element.js'
import { elementJson } from '../report/fetch-json.js'
import { elementDetailJson, statsJson } from '../report/serve-json.js'
import { sessionListJson } from '../report/session-json.js'
import {
  elementListSchema,
  elementSchema,
  namespaceSchema,
  sessionListSchema,
  type ElementListQuery,
  type ElementParams,
  type NamespaceQuery,
  type SessionListQuery,
} from './schemas.js'
import type { ServeContext } from './serve-context.js'
import { ServeError } from './serve-errors.js'
import { namespaceFor } from './tenant.js'

/** Statistics, elements and recorded sessions of the caller's namespace, and the health probe. */
export function registerAdminRoutes(app: FastifyInstance, ctx: ServeContext): void {
  const { cache, store } = ctx.asteria

  app.get('/healthz', async () => ({ status: 'ok' }))

  app.get<{ Querystring: NamespaceQuery }>('/v1/stats', { schema: namespaceSchema }, async (request) => {
    const namespace = namespaceFor(request.tenant, request.query.namespace)
    return statsJson(await ctx.perform(() => cacheStats(cache, namespace)))
  })

  app.get<{ Querystring: ElementListQuery }>('/v1/elements', { schema: elementListSchema }, async (request) => {
    const { namespace: requested, ...filter } = request.query
    const namespace = namespaceFor(request.tenant, requested)
    const elements = await ctx.perform(() => listElements(cache, { ...filter, namespace }))
    return { elements: elements.map((e) => elementJson(e, ctx.now())) }
  })

  // Another namespace's element is answered exactly like a missing one: its existence is not revealed.
  const ownElement = async (id: number, namespace: string): Promise<SemanticElement> => {
    const element = await store.get(id)
    if (element && element.namespace === namespace) return element
    throw new ServeError('NOT_FOUND', 404, `No element with id ${id} in namespace "${namespace}".`, ['List the elements and their ids with GET /v1/elements.'])
  }

  app.get<{ Params: ElementParams; Querystring: NamespaceQuery }>('/v1/elements/:id', { schema: elementSchema }, async (request) => {
    const namespace = namespaceFor(request.tenant, request.query.namespace)
    const detail = await ctx.perform(async () => {
      await ownElement(request.params.id, namespace)
      return inspectElement(cache, request.params.id)
    })
    return elementDetailJson(detail, ctx.now())
  })

  app.delete<{ Params: ElementParams; Querystring: NamespaceQuery }>('/v1/elements/:id', { schema: elementSchema }, async (request) => {
    const namespace = namespaceFor(request.tenant, request.query.namespace)
    const { id } = request.params
    const deleted = await ctx.perform(async () => {
      await ownElement(id, namespace)
      return cache.delete([id])
    })
    return { deleted, ids: [id] }
  })

  app.get<{ Querystring: SessionListQuery }>('/v1/sessions', { schema: sessionListSchema }, async (request) => {
    const namespace = namespaceFor(request.tenant, request.query.namespace)
    return { namespace, ...sessionListJson(await ctx.perform(() => ctx.sessions(namespace, request.query.limit))) }
  })
}
