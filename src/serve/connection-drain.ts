import type { ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'

/**
 * On close, Node stops listening and ends idle keep-alive connections, but a connection busy
 * with a request would stay open after its response until the keep-alive timeout (72 s with
 * fastify). Marking the responses in flight "Connection: close" ends each one once it is sent.
 */
export function endConnectionsAfterLastResponse(app: FastifyInstance): void {
  const inflight = new Set<ServerResponse>()
  app.addHook('onRequest', async (_request, reply) => {
    const response = reply.raw
    inflight.add(response)
    response.once('close', () => inflight.delete(response))
  })
  app.addHook('preClose', async () => {
    for (const response of inflight) {
      if (!response.headersSent) response.shouldKeepAlive = false
      else response.once('finish', () => response.socket?.end())
    }
  })
}
