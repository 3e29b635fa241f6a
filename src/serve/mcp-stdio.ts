import type { Readable, Writable } from 'node:stream'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import type { Asteria } from '../asteria.js'
import { InflightWork } from './inflight-work.js'
import { createMcpServer } from './mcp-server.js'

export interface StdioMcpOptions {
  version: string
  namespace?: string
  stdin?: Readable
  /** Carries MCP messages only: everything else must go to stderr. */
  stdout?: Writable
  logError?: (error: unknown) => void
}

export interface StdioMcpSession {
  /** Resolves once the client has gone (stdin ended) or close() ran, and every tool call finished. */
  closed: Promise<void>
  close(): Promise<void>
}

/** Serves the MCP tools over stdin/stdout until the client goes away. */
export async function serveMcpOverStdio(asteria: Asteria, options: StdioMcpOptions): Promise<StdioMcpSession> {
  const stdin = options.stdin ?? process.stdin
  const work = new InflightWork()
  const server = createMcpServer(asteria, {
    version: options.version,
    namespace: options.namespace,
    perform: (fn) => work.run(fn),
    logError: options.logError,
  })
  let startClosing!: () => void
  const closed = new Promise<void>((resolve) => (startClosing = resolve)).then(async () => {
    await work.idle()
    await server.close()
  })
  // The last messages' handlers start a few ticks after their bytes arrive; let them begin first.
  stdin.once('end', () => setImmediate(startClosing))
  await server.connect(new StdioServerTransport(stdin, options.stdout ?? process.stdout))
  return {
    closed,
    close: () => {
      startClosing()
      return closed
    },
  }
}
