import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import type { Asteria } from '../asteria.js'
import { AsteriaError } from '../core/errors.js'
import { requireSafeBinding, TokenTable } from './auth.js'
import { buildHttpApp, type HttpAppOptions } from './http-app.js'
import { InflightWork } from './inflight-work.js'

export const DEFAULT_PORT = 8787
export const DEFAULT_HOST = '127.0.0.1'

export interface ServiceOptions extends HttpAppOptions {
  host?: string
  /** 0 picks a free port. */
  port?: number
}

export interface RunningService {
  /** http://host:port */
  url: string
  port: number
  app: FastifyInstance
  /** Cache operations running now (requests being answered, and work that outlived its request). */
  inflight(): number
  /** Stops taking requests, answers those in flight, and waits for their cache work; idempotent. */
  close(): Promise<void>
  /** Resolves when close() has finished. */
  closed: Promise<void>
}

/**
 * Starts the HTTP service (JSON API, SearXNG-compatible search, MCP at /mcp). It does not close
 * `asteria`: the caller does, after `close()`, so that no acknowledged store is lost.
 */
export async function startService(asteria: Asteria, options: ServiceOptions = {}): Promise<RunningService> {
  const host = options.host ?? DEFAULT_HOST
  const port = options.port ?? DEFAULT_PORT
  const tokens = options.tokens ?? new TokenTable()
  requireSafeBinding(host, tokens)
  const work = options.work ?? new InflightWork()
  const app = buildHttpApp(asteria, { ...options, tokens, work })
  try {
    await app.listen({ host, port })
  } catch (error) {
    await app.close()
    throw listenError(error as NodeJS.ErrnoException, host, port)
  }
  const address = app.server.address() as AddressInfo
  let startClosing!: () => void
  const closed = new Promise<void>((resolve) => (startClosing = resolve)).then(() => app.close())
  return {
    url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
    port: address.port,
    app,
    inflight: () => work.size,
    closed,
    close: () => {
      startClosing()
      return closed
    },
  }
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === 'EADDRINUSE') {
    return new AsteriaError('CONFIG', `Port ${port} on ${host} is already in use.`, { suggestions: ['Pass another --port, or --port 0 to pick a free one.'], cause: error })
  }
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') {
    return new AsteriaError('CONFIG', `Cannot listen on ${host}: it is not an address of this machine.`, { suggestions: ['Use --host 127.0.0.1 (default), or an address this machine has.'], cause: error })
  }
  if (error.code === 'EACCES') {
    return new AsteriaError('CONFIG', `Not allowed to listen on port ${port}.`, { suggestions: ['Use a port above 1023, e.g. the default 8787.'], cause: error })
  }
  return error
}
