/**
 * The loopback HTTP plumbing the Ollama and OpenAI-compatible test servers share: every request
 * is recorded (method, path, headers, parsed body) before the script's `delay`, so
 * `waitForRequests(n)` tells a test it arrived; `fail` answers instead of the route — an HTTP
 * status and body, a 200 whose body is not JSON, a destroyed connection, or no answer at all.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  /** Parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown
}

export type ScriptedFailure =
  | { kind: 'status'; status: number; body?: string | object; contentType?: string }
  | { kind: 'malformed-json' }
  | { kind: 'destroy' }
  | { kind: 'hang' }

/** A promise the test opens when it chooses: `delay: () => gate.promise`. */
export function createGate(): { promise: Promise<void>; open(): void } {
  let open!: () => void
  const promise = new Promise<void>((resolve) => (open = resolve))
  return { promise, open }
}

export interface LoopbackScript {
  delay?: (request: RecordedRequest) => Promise<void> | void
  fail?: (request: RecordedRequest) => ScriptedFailure | undefined
}

export interface LoopbackServer {
  url: string
  requests: RecordedRequest[]
  waitForRequests(count: number): Promise<void>
  close(): Promise<void>
}

export async function startLoopbackServer(options: {
  script: () => LoopbackScript
  route: (request: RecordedRequest, res: ServerResponse) => Promise<void> | void
}): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = []
  const waiters: Array<{ count: number; resolve: () => void }> = []
  const server = createServer((req, res) => {
    res.on('error', () => {}) // the client may hang up while a delayed answer is pending
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { error: `test server: ${String(error)}` })
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const request = await record(req)
    requests.push(request)
    for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve()
    }
    const { delay, fail } = options.script()
    await delay?.(request)
    if (res.destroyed) return
    const failure = fail?.(request)
    if (failure) return sendFailure(res, failure)
    await options.route(request, res)
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    waitForRequests: (count) =>
      requests.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections() // hung requests would otherwise keep close() waiting forever
      }),
  }
}

async function record(req: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  let body: unknown = text === '' ? undefined : text
  try {
    body = text === '' ? undefined : JSON.parse(text)
  } catch {
    // keep the raw text: a test may assert on what a client sent that was not JSON
  }
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
  return { method: req.method ?? 'GET', path, headers: req.headers, body }
}

function sendFailure(res: ServerResponse, failure: ScriptedFailure): void {
  if (failure.kind === 'hang') return
  if (failure.kind === 'destroy') return void res.socket?.destroy()
  if (failure.kind === 'malformed-json') return sendText(res, 200, '{"embeddings": [[0.1, 0.2', 'application/json')
  const { body = '', contentType } = failure
  if (typeof body === 'string') return sendText(res, failure.status, body, contentType ?? 'text/plain')
  sendJson(res, failure.status, body)
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  sendText(res, status, JSON.stringify(value), 'application/json; charset=utf-8')
}

export function sendText(res: ServerResponse, status: number, text: string, contentType: string): void {
  if (res.destroyed) return
  res.writeHead(status, { 'content-type': contentType })
  res.end(text)
}
