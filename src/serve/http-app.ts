import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { Asteria } from '../asteria.js'
import { registerAdminRoutes } from './admin-routes.js'
import { authenticate, requireLoopbackHostHeader, TokenTable } from './auth.js'
import { registerCacheRoutes } from './cache-routes.js'
import { endConnectionsAfterLastResponse } from './connection-drain.js'
import { registerMcpRoute } from './mcp-http.js'
import { registerSearxngRoute } from './searxng-route.js'
import type { InflightWork } from './inflight-work.js'
import { createServeContext } from './serve-context.js'
import { describeError, UNEXPECTED } from './serve-errors.js'
import { recordedSessions, type SessionLister } from './session-lister.js'
import type { Tenant } from './tenant.js'
import { validatorCompiler } from './validators.js'

const DEFAULT_BODY_LIMIT = 1024 * 1024
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000

export interface HttpAppOptions {
  /** Bearer tokens and their namespaces; with none, requests use the configured namespace. */
  tokens?: TokenTable
  /** Largest request body, bytes (413 above it). */
  bodyLimit?: number
  /** Longest a request may take to arrive and to be answered, ms (504 above it; 0: no limit). */
  requestTimeoutMs?: number
  /** fastify's logger (pino) settings; false: silent. Request logs never include headers. */
  logger?: FastifyServerOptions['logger']
  /** Where GET /v1/sessions reads from; default: the sessions recorded in the cache file. */
  sessions?: SessionLister
  /** Reported by the MCP server. */
  version?: string
  /** Tracks cache work, so that its owner can tell what is in flight. */
  work?: InflightWork
}

const ENDPOINTS = 'POST /v1/lookup, POST /v1/store, POST /v1/fetch, GET /v1/stats, GET /v1/elements[/:id], DELETE /v1/elements/:id, GET /v1/sessions, GET /search, POST /mcp, GET /healthz'

/** The HTTP service around one Asteria instance: JSON endpoints, the SearXNG-compatible search and MCP. */
export function buildHttpApp(asteria: Asteria, options: HttpAppOptions = {}): FastifyInstance {
  const tokens = options.tokens ?? new TokenTable()
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    requestTimeout: requestTimeoutMs,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  })
  app.setValidatorCompiler(validatorCompiler)
  const ctx = createServeContext(asteria, {
    requestTimeoutMs,
    sessions: options.sessions ?? recordedSessions(asteria.store),
    version: options.version ?? '0.0.0',
    work: options.work,
  })

  // The API speaks JSON only: a text body is refused as 415, not read as a string.
  app.removeContentTypeParser('text/plain')
  // Declared up front (fastify keeps request objects one shape); every request gets its own in onRequest.
  app.decorateRequest('tenant', null as unknown as Tenant)
  endConnectionsAfterLastResponse(app)
  // Runs before the body is read, so an unauthenticated caller cannot make the service parse anything.
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.url === '/healthz') return
    if (tokens.size === 0) {
      requireLoopbackHostHeader(request.headers.host)
      request.tenant = { namespace: asteria.config.namespace, confined: false }
    } else {
      request.tenant = { namespace: authenticate(request.headers.authorization, tokens), confined: true }
    }
  })

  app.setErrorHandler((error, request, reply) => {
    const described = describeError(error, request.routeOptions.config?.example)
    if (described && described.status < 500) return reply.code(described.status).send(described.body)
    request.log.error({ err: error }, 'request failed')
    return described ? reply.code(described.status).send(described.body) : reply.code(500).send(UNEXPECTED)
  })

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0].slice(0, 200)
    return reply.code(404).send({ error: { code: 'NOT_FOUND', message: `No endpoint ${request.method} ${path}.`, suggestions: [`Endpoints: ${ENDPOINTS}.`] } })
  })

  registerCacheRoutes(app, ctx)
  registerAdminRoutes(app, ctx)
  registerSearxngRoute(app, ctx)
  registerMcpRoute(app, ctx)
  // onClose runs once the server has stopped and answered its last request; work that outlived
  // its request (answered 504) may still be storing, and the cache must not close under it.
  app.addHook('onClose', async () => ctx.work.idle())
  return app
}
