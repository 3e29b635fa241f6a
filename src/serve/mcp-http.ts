import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import type { FastifyInstance } from 'fastify'
import { createMcpServer } from './mcp-server.js'
import { mcpSchema } from './schemas.js'
import type { ServeContext } from './serve-context.js'
import { ServeError } from './serve-errors.js'

/**
 * The MCP server over streamable HTTP at /mcp, stateless: each POST gets its own server and
 * transport, confined to the caller's namespace, and answers with plain JSON.
 */
export function registerMcpRoute(app: FastifyInstance, ctx: ServeContext): void {
  app.post('/mcp', { schema: mcpSchema }, async (request, reply) => {
    const server = createMcpServer(ctx.asteria, {
      version: ctx.version,
      namespace: request.tenant.namespace,
      perform: ctx.perform,
      logError: (error) => request.log.error({ err: error }, 'MCP tool call failed'),
    })
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
    reply.hijack()
    reply.raw.on('close', () => {
      void transport.close()
      void server.close()
    })
    try {
      await server.connect(transport)
      await transport.handleRequest(request.raw, reply.raw, request.body)
    } catch (error) {
      request.log.error({ err: error }, 'MCP request failed')
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(500, { 'content-type': 'application/json' })
        reply.raw.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal server error' }, id: null }))
      }
    }
  })

  const stateless = async () => {
    throw new ServeError('METHOD_NOT_ALLOWED', 405, 'This MCP endpoint is stateless: it takes POST requests only (no server-sent event stream, no sessions).', [
      'Point an MCP client with the streamable HTTP transport at this URL; it needs nothing else.',
    ])
  }
  app.get('/mcp', stateless)
  app.delete('/mcp', stateless)
}
