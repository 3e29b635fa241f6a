/**
 * A scriptable loopback server that speaks Ollama's HTTP API as strictly as the real server of
 * the version it reports (default 0.12.11, the first with logprobs), so tests exercise the real
 * `ollama` client over real HTTP against what a user's server would answer. Test fixture only.
 *
 * Endpoints
 * - `POST /api/chat` — see ollama-chat-answer.ts: the script's `chat(request)` says what the model
 *   says; the server decides what a real one would send back (thinking, logprobs, refusals).
 * - `POST /api/embed` — `{ model, input }` → `{ model, embeddings }` (default `hashedBagOfWords`,
 *   64-d, not unit length). 404 "404 page not found" before v0.2.6. A model without the
 *   `embedding` capability gets 500 "this model does not support embeddings" as v0.12.11's runner
 *   answers, or, with `embedsWithAnyModel` (current releases check nothing), vectors anyway.
 * - `POST /api/show` — `{ details, model_info, capabilities (since v0.6.4), ... }`.
 * - `GET /api/tags` → `{ models: [...] }`; `GET /api/version` → `{ version }`.
 * A model that is not listed gets 404 `{ error: "model 'x' not found" }`; "x" matches a listed
 * "x:latest". Unknown paths get Ollama's plain-text "404 page not found".
 * `delay` and `fail` per request: see loopback-server.ts.
 */
import { createHash } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { answerChat, capabilityRefusal, topLogprobsRefusal, type ChatReply, type ChatRequestBody } from './ollama-chat-answer.js'
import { sendJson, sendText, startLoopbackServer, type RecordedRequest, type ScriptedFailure } from './loopback-server.js'
import { DEFAULT_MODELS, DEFAULT_VERSION, SINCE, atLeast, capabilitiesOf, findModel, showEntry, tagEntry, toModel, type ScriptedModel } from './ollama-models.js'

export { createGate, type RecordedRequest } from './loopback-server.js'
export type { ChatReply, ChatRequestBody, ScriptedLogprob } from './ollama-chat-answer.js'
export { DEFAULT_THINKING } from './ollama-chat-answer.js'
export type { ScriptedModel } from './ollama-models.js'

export interface OllamaScript {
  models?: Array<string | ScriptedModel>
  chat?: (request: ChatRequestBody) => ChatReply | Promise<ChatReply>
  embed?: (texts: string[], model: string) => number[][] | Promise<number[][]>
  delay?: (request: RecordedRequest) => Promise<void> | void
  fail?: (request: RecordedRequest) => ScriptedFailure | undefined
  version?: string
  /** /api/embed answers for any model, as releases after the runner's capability check do. */
  embedsWithAnyModel?: boolean
}

export interface OllamaTestServer {
  url: string
  requests: RecordedRequest[]
  /** Merges into the current script; set a key to undefined to restore its default. */
  setScript(patch: OllamaScript): void
  waitForRequests(count: number): Promise<void>
  close(): Promise<void>
}

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

export async function startOllamaServer(initial: OllamaScript = {}): Promise<OllamaTestServer> {
  let script: OllamaScript = { ...initial }
  const loopback = await startLoopbackServer({
    script: () => script,
    route: (request, res) => routeOllama(script, request, res),
  })
  return { ...loopback, setScript: (patch) => (script = { ...script, ...patch }) }
}

const NOT_FOUND = '404 page not found'

function routeOllama(script: OllamaScript, request: RecordedRequest, res: ServerResponse): Promise<void> | void {
  const body = (request.body ?? {}) as Record<string, unknown>
  const version = script.version ?? DEFAULT_VERSION
  const models = (script.models ?? DEFAULT_MODELS).map(toModel)
  const route = `${request.method} ${request.path}`
  if (route === 'GET /api/version') return sendJson(res, 200, { version })
  if (route === 'GET /api/tags') return sendJson(res, 200, { models: models.map(tagEntry) })
  if (route === 'POST /api/embed' && !atLeast(version, SINCE.embed)) return sendText(res, 404, NOT_FOUND, 'text/plain')
  if (!['POST /api/chat', 'POST /api/embed', 'POST /api/show'].includes(route)) return sendText(res, 404, NOT_FOUND, 'text/plain')
  const chat = body as unknown as ChatRequestBody
  const outOfBounds = route === 'POST /api/chat' ? topLogprobsRefusal(chat, version) : undefined
  if (outOfBounds) return sendJson(res, 400, { error: outOfBounds })
  const name = String(body.model ?? body.name ?? '')
  const model = findModel(models, name)
  if (!model) return sendJson(res, 404, { error: `model '${name}' not found` })
  if (route === 'POST /api/show') return sendJson(res, 200, showEntry(model, version))
  if (route === 'POST /api/embed') return answerEmbed(script, model, body, res)
  return replyToChat(script, chat, model, version, res)
}

async function replyToChat(script: OllamaScript, request: ChatRequestBody, model: ScriptedModel, version: string, res: ServerResponse) {
  const refusal = capabilityRefusal(request, model, version)
  if (refusal) return sendJson(res, 400, { error: refusal })
  const lastUser = [...(request.messages ?? [])].reverse().find((m) => m.role === 'user')
  const reply = script.chat ? await script.chat(request) : { content: lastUser?.content ?? '' }
  answerChat(request, reply, model, version, res)
}

async function answerEmbed(script: OllamaScript, model: ScriptedModel, body: Record<string, unknown>, res: ServerResponse) {
  if (!capabilitiesOf(model).includes('embedding') && !script.embedsWithAnyModel) {
    // runner/ollamarunner/runner.go answers 501 with this text; the server relays it as 500 (v0.12.11).
    return sendJson(res, 500, { error: 'this model does not support embeddings\n' })
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
