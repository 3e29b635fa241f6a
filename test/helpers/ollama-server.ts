/**
 * A scriptable loopback server that speaks Ollama's HTTP API, so tests exercise the real
 * `ollama` client over real HTTP. Test fixture only: never a runtime fallback.
 *
 * Endpoints
 * - `POST /api/chat` — request `{ model, messages, stream?, format?, tools?, think?, logprobs?,
 *   top_logprobs?, options? }`. The script's `chat(request)` returns `{ content, thinking?,
 *   tool_calls?, logprobs?, done_reason?, streamError? }`.
 *   - `stream: false`: one JSON object `{ model, created_at, message: { role: 'assistant', content,
 *     thinking?, tool_calls? }, done: true, done_reason, *_duration, *_count, logprobs? }`.
 *   - otherwise (Ollama streams by default): NDJSON, one `{ model, created_at, message, done: false }`
 *     line per piece, then a final line with `done: true`, empty content and the durations.
 *     Pieces are the logprob tokens when logprobs are returned and their tokens join to the content
 *     (one token and its logprob per line, like Ollama); otherwise the content is split into words
 *     and any logprobs ride on the first line. `streamError` ends the stream with `{ error }`
 *     instead of `done: true` (the client then throws).
 *   - `logprobs: [{ token, logprob, top_logprobs? }]` is returned only when the request asks
 *     `logprobs: true` and the script supplies them; `top_logprobs` is included, cut to the
 *     request's `top_logprobs` count, only when that count is > 0 — as Ollama does.
 *   - `format` (a JSON schema or "json") is recorded but not enforced: the responder decides.
 * - `POST /api/embed` — `{ model, input: string | string[] }` → `{ model, embeddings: number[][] }`.
 *   Default embedding: `hashedBagOfWords` (64-d, deterministic, not unit length).
 * - `GET /api/tags` → `{ models: [{ name, model, modified_at, size, digest, details }] }`.
 * - `GET /api/version` → `{ version }`.
 * - `POST /api/show` → `{ details, capabilities, model_info, ... }`.
 * A model that is not in the script's list gets 404 `{ error: "model 'x' not found" }`; "x" matches
 * a listed "x:latest" as in Ollama. Unknown paths get Ollama's plain-text "404 page not found".
 *
 * Per-request control: `delay(request)` may return a promise the test resolves (tests never sleep
 * on the clock); `fail(request)` may return a failure — an HTTP status and body, a 200 whose body
 * is not JSON, a destroyed connection, or no answer at all. Every request is recorded (method,
 * path, headers, parsed body) before the delay, so `waitForRequests(n)` tells a test it arrived.
 */
import { createHash } from 'node:crypto'
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

export interface TokenLogprob {
  token: string
  logprob: number
}

export interface ScriptedLogprob extends TokenLogprob {
  top_logprobs?: TokenLogprob[]
}

export interface ChatRequestBody {
  model: string
  messages?: Array<{ role: string; content: string; [key: string]: unknown }>
  stream?: boolean
  format?: unknown
  tools?: unknown[]
  think?: unknown
  logprobs?: boolean
  top_logprobs?: number
  options?: Record<string, unknown>
}

export interface ChatReply {
  content: string
  thinking?: string
  tool_calls?: Array<{ function: { name: string; arguments: Record<string, unknown> } }>
  logprobs?: ScriptedLogprob[]
  done_reason?: string
  streamError?: string
}

export interface ScriptedModel {
  name: string
  digest?: string
  size?: number
  family?: string
  parameterSize?: string
  quantization?: string
  /** As /api/show reports them; a model without 'embedding' refuses /api/embed. */
  capabilities?: string[]
}

export interface OllamaScript {
  models?: Array<string | ScriptedModel>
  chat?: (request: ChatRequestBody) => ChatReply | Promise<ChatReply>
  embed?: (texts: string[], model: string) => number[][] | Promise<number[][]>
  delay?: (request: RecordedRequest) => Promise<void> | void
  fail?: (request: RecordedRequest) => ScriptedFailure | undefined
  version?: string
}

export interface OllamaTestServer {
  url: string
  requests: RecordedRequest[]
  /** Merges into the current script; set a key to undefined to restore its default. */
  setScript(patch: OllamaScript): void
  waitForRequests(count: number): Promise<void>
  close(): Promise<void>
}

export const DEFAULT_MODELS = ['nomic-embed-text:latest', 'qwen3:0.6b']
export const HASHED_DIMENSIONS = 64

/** Deterministic hashed bag of words: texts sharing words get close vectors. Not unit length. */
export function hashedBagOfWords(text: string, dimensions = HASHED_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0)
  vector[0] = 0.1 // keeps an empty text away from the zero vector
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const hash = createHash('sha256').update(word).digest()
    vector[hash.readUInt32LE(0) % dimensions] += hash[4] & 1 ? 1 : -1
  }
  return vector
}

/** A promise the test opens when it chooses: `delay: () => gate.promise`. */
export function createGate(): { promise: Promise<void>; open(): void } {
  let open!: () => void
  const promise = new Promise<void>((resolve) => (open = resolve))
  return { promise, open }
}

export async function startOllamaServer(initial: OllamaScript = {}): Promise<OllamaTestServer> {
  let script: OllamaScript = { ...initial }
  const loopback = startLoopbackServer({
    script: () => script,
    route: (request, res) => routeOllama(script, request, res),
  })
  const { url, requests, waitForRequests, close } = await loopback
  return { url, requests, waitForRequests, close, setScript: (patch) => (script = { ...script, ...patch }) }
}

function routeOllama(script: OllamaScript, request: RecordedRequest, res: ServerResponse): Promise<void> | void {
  const body = (request.body ?? {}) as Record<string, unknown>
  const route = `${request.method} ${request.path}`
  if (route === 'GET /api/version') return sendJson(res, 200, { version: script.version ?? '0.12.6' })
  if (route === 'GET /api/tags') return sendJson(res, 200, { models: listModels(script).map(tagEntry) })
  if (!['POST /api/chat', 'POST /api/embed', 'POST /api/show'].includes(route)) {
    return sendText(res, 404, '404 page not found', 'text/plain')
  }
  const name = String(body.model ?? body.name ?? '')
  const model = findModel(script, name)
  if (!model) return sendJson(res, 404, { error: `model '${name}' not found` })
  if (route === 'POST /api/show') return sendJson(res, 200, showEntry(model))
  if (route === 'POST /api/embed') return answerEmbed(script, model, body, res)
  return answerChat(script, body as unknown as ChatRequestBody, res)
}

async function answerEmbed(script: OllamaScript, model: ScriptedModel, body: Record<string, unknown>, res: ServerResponse) {
  if (!capabilitiesOf(model).includes('embedding')) {
    return sendJson(res, 400, { error: 'this model does not support embeddings' })
  }
  const texts = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? '')]
  const embeddings = script.embed ? await script.embed(texts, model.name) : texts.map((t) => hashedBagOfWords(t))
  sendJson(res, 200, {
    model: model.name,
    embeddings,
    total_duration: 1_000_000,
    load_duration: 0,
    prompt_eval_count: texts.length,
  })
}

async function answerChat(script: OllamaScript, request: ChatRequestBody, res: ServerResponse) {
  const lastUser = [...(request.messages ?? [])].reverse().find((m) => m.role === 'user')
  const reply = script.chat ? await script.chat(request) : { content: lastUser?.content ?? '' }
  const logprobs = request.logprobs === true ? shapeLogprobs(reply.logprobs, request.top_logprobs) : undefined
  const base = { model: request.model, created_at: new Date().toISOString() }
  const totals = {
    done: true,
    done_reason: reply.done_reason ?? 'stop',
    total_duration: 2_000_000,
    load_duration: 0,
    prompt_eval_count: 1,
    prompt_eval_duration: 1_000_000,
    eval_count: 1,
    eval_duration: 1_000_000,
  }
  const message = { role: 'assistant', content: reply.content, thinking: reply.thinking, tool_calls: reply.tool_calls }
  if (request.stream === false) return sendJson(res, 200, { ...base, message, ...totals, logprobs })

  const lines = streamPieces(reply.content, logprobs).map(({ piece, logprobs: pieceLogprobs }, i) => ({
    ...base,
    message: i === 0 ? { ...message, content: piece } : { role: 'assistant', content: piece },
    done: false,
    logprobs: pieceLogprobs,
  }))
  const last = reply.streamError ? { error: reply.streamError } : { ...base, message: { role: 'assistant', content: '' }, ...totals }
  res.writeHead(200, { 'content-type': 'application/x-ndjson' })
  for (const line of [...lines, last]) res.write(`${JSON.stringify(line)}\n`)
  res.end()
}

function shapeLogprobs(logprobs: ScriptedLogprob[] | undefined, top: number | undefined): ScriptedLogprob[] | undefined {
  if (!logprobs) return undefined
  return logprobs.map(({ token, logprob, top_logprobs }) =>
    top && top > 0 && top_logprobs ? { token, logprob, top_logprobs: top_logprobs.slice(0, top) } : { token, logprob },
  )
}

function streamPieces(content: string, logprobs: ScriptedLogprob[] | undefined) {
  if (logprobs && logprobs.length > 0 && logprobs.map((l) => l.token).join('') === content) {
    return logprobs.map((l) => ({ piece: l.token, logprobs: [l] as ScriptedLogprob[] | undefined }))
  }
  const words = content.match(/\s*\S+\s*/g) ?? [content]
  return words.map((piece, i) => ({ piece, logprobs: i === 0 ? logprobs : undefined }))
}

function listModels(script: OllamaScript): ScriptedModel[] {
  return (script.models ?? DEFAULT_MODELS).map((m) => (typeof m === 'string' ? { name: m } : m))
}

function findModel(script: OllamaScript, name: string): ScriptedModel | undefined {
  return listModels(script).find((m) => m.name === name || m.name === `${name}:latest`)
}

function digestOf(model: ScriptedModel): string {
  return model.digest ?? createHash('sha256').update(model.name).digest('hex')
}

function capabilitiesOf(model: ScriptedModel): string[] {
  return model.capabilities ?? (model.name.includes('embed') ? ['embedding'] : ['completion'])
}

function detailsOf(model: ScriptedModel) {
  const family = model.family ?? model.name.split(/[:.-]/)[0]
  return {
    parent_model: '',
    format: 'gguf',
    family,
    families: [family],
    parameter_size: model.parameterSize ?? '137M',
    quantization_level: model.quantization ?? 'F16',
  }
}

function tagEntry(model: ScriptedModel) {
  const modified = '2025-01-01T00:00:00Z'
  const size = model.size ?? 274_302_450
  return { name: model.name, model: model.name, modified_at: modified, size, digest: digestOf(model), details: detailsOf(model) }
}

function showEntry(model: ScriptedModel) {
  return {
    modelfile: `FROM ${model.name}`,
    parameters: '',
    template: '{{ .Prompt }}',
    details: detailsOf(model),
    model_info: { 'general.architecture': detailsOf(model).family },
    capabilities: capabilitiesOf(model),
    modified_at: '2025-01-01T00:00:00Z',
  }
}

// ---- The loopback plumbing shared with the OpenAI-compatible server (test/helpers/openai-server.ts).

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

function sendText(res: ServerResponse, status: number, text: string, contentType: string): void {
  if (res.destroyed) return
  res.writeHead(status, { 'content-type': contentType })
  res.end(text)
}
