/**
 * A scriptable loopback HTTP server for the web knowledge sources' tests: each request is
 * recorded (method, full URL, headers, parsed body) and answered by the test's `reply` function.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ApiRequest {
  method: string
  url: URL
  headers: IncomingHttpHeaders
  body: unknown
}

/** A JSON (or raw text) answer, or 'hang' to never answer. */
export type ApiReply = { status?: number; json?: unknown; text?: string; headers?: Record<string, string> } | 'hang'

export interface JsonApiServer {
  url: string
  requests: ApiRequest[]
  reply: (request: ApiRequest, index: number) => ApiReply
  close(): Promise<void>
}

export async function startJsonApiServer(reply: JsonApiServer['reply']): Promise<JsonApiServer> {
  const requests: ApiRequest[] = []
  const api = { reply } as JsonApiServer
  const server = createServer(async (req, res) => {
    res.on('error', () => {})
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    const request: ApiRequest = {
      method: req.method ?? 'GET',
      url: new URL(req.url ?? '/', 'http://127.0.0.1'),
      headers: req.headers,
      body: text === '' ? undefined : safeJson(text),
    }
    requests.push(request)
    const answer = api.reply(request, requests.length - 1)
    if (answer === 'hang') return
    const body = answer.text ?? JSON.stringify(answer.json ?? {})
    res.writeHead(answer.status ?? 200, { 'content-type': answer.text === undefined ? 'application/json' : 'text/html', ...answer.headers })
    res.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  api.requests = requests
  api.close = () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()))
      server.closeAllConnections()
    })
  return api
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** A sleep that records the waits it was asked for and returns at once (tests never really wait). */
export function recordingSleep(): ((ms: number) => Promise<void>) & { waits: number[] } {
  const waits: number[] = []
  return Object.assign(async (ms: number) => void waits.push(ms), { waits })
}
