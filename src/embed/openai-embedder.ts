import { AsteriaError } from '../core/errors.js'
import { type Embedder } from '../core/ports/embedder.js'
import { normalizeVector } from '../core/util/vectors.js'

export interface OpenAiEmbedderOptions {
  /** API root as in the OpenAI SDK, e.g. http://127.0.0.1:1234/v1; a bare origin gets /v1. */
  baseUrl: string
  model: string
  /** Read by the caller (OPENAI_API_KEY, ASTERIA_OPENAI_API_KEY); never logged, redacted from errors. */
  apiKey?: string
  /** Limit for each HTTP request, body included. */
  timeoutMs?: number
  fetch?: typeof fetch
}

export const OPENAI_BATCH_SIZE = 64
export const DEFAULT_OPENAI_TIMEOUT_MS = 30_000

interface Endpoint {
  url: string
  /** The base URL, for messages. */
  shown: string
  model: string
  timeoutMs: number
  apiKey: string | undefined
  fetch: typeof fetch
  fail(message: string, suggestions: string[], cause?: unknown): AsteriaError
}

/** For any OpenAI-compatible /v1/embeddings (OpenAI, LM Studio, vLLM, llama.cpp server). */
export async function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Promise<Embedder> {
  const apiKey = options.apiKey || undefined
  const fail = (message: string, suggestions: string[], cause?: unknown) =>
    redactedError(message, suggestions, apiKey, cause)
  const base = parseBaseUrl(options.baseUrl, fail)
  const shown = base.href.replace(/\/+$/, '')
  const endpoint: Endpoint = {
    url: `${shown}/embeddings`,
    shown,
    model: options.model,
    timeoutMs: options.timeoutMs ?? DEFAULT_OPENAI_TIMEOUT_MS,
    apiKey,
    fetch: options.fetch ?? globalThis.fetch,
    fail,
  }
  const [probe] = await embedBatch(endpoint, ['dimension probe'], undefined)
  const dimensions = probe.length
  return {
    model: options.model,
    dimensions,
    fingerprint: `openai:${base.host}/${options.model}:${dimensions}`,
    async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
      const vectors: Float32Array[] = []
      for (let start = 0; start < texts.length; start += OPENAI_BATCH_SIZE) {
        signal?.throwIfAborted()
        vectors.push(...(await embedBatch(endpoint, texts.slice(start, start + OPENAI_BATCH_SIZE), dimensions, signal)))
      }
      return vectors
    },
  }
}

function parseBaseUrl(baseUrl: string, fail: Endpoint['fail']): URL {
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    throw fail(`The embeddings base URL "${baseUrl}" is not a valid URL.`, ['pass one like http://127.0.0.1:1234/v1'])
  }
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1'
  // fetch refuses URLs with credentials, and they must not reach messages either
  url.username = ''
  url.password = ''
  url.search = ''
  url.hash = ''
  return url
}

async function embedBatch(endpoint: Endpoint, texts: string[], dimensions: number | undefined, signal?: AbortSignal) {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' }
  if (endpoint.apiKey) headers.authorization = `Bearer ${endpoint.apiKey}`
  const signals = [AbortSignal.timeout(endpoint.timeoutMs), signal].filter((s): s is AbortSignal => s !== undefined)
  let status = 0
  let text = ''
  try {
    const response = await endpoint.fetch(endpoint.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: endpoint.model, input: texts }),
      signal: AbortSignal.any(signals),
    })
    status = response.status
    text = await response.text()
  } catch (error) {
    if (signal?.aborted) throw signal.reason // the caller cancelled: not an embedder failure
    throw describeTransportFailure(error, endpoint)
  }
  if (status < 200 || status >= 300) throw describeHttpFailure(status, text, endpoint)
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    // no cause attached: a SyntaxError quotes the body, which could echo the key past the redaction
    const hint = 'check that the base URL points at an OpenAI-compatible API (it usually ends in /v1)'
    throw endpoint.fail(`${endpoint.url} returned a response that is not JSON (${clip(text)}).`, [hint])
  }
  return toUnitVectors(body, texts.length, dimensions, endpoint)
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'])
const FALLBACK = 'use --embedder static'

function describeTransportFailure(error: unknown, { shown, model, timeoutMs, fail }: Endpoint): AsteriaError {
  const name = (error as { name?: unknown })?.name
  // undici reports socket errors as `TypeError: fetch failed` with the code on the cause (or its inner errors)
  const cause = (error as { cause?: { code?: unknown; errors?: Array<{ code?: unknown }> } })?.cause
  const code = cause?.code ?? cause?.errors?.[0]?.code
  if (name === 'TimeoutError') {
    const steps = [`raise the embedder timeout (now ${timeoutMs} ms)`, 'check that the model is loaded on the server']
    return fail(`The embeddings server at ${shown} did not answer within ${timeoutMs} ms (model ${model}).`, steps, error)
  }
  if (typeof code === 'string' && UNREACHABLE.has(code)) {
    const start = 'start the server (LM Studio, vLLM, llama.cpp `llama-server --embeddings`)'
    return fail(`The embeddings server is not reachable at ${shown} (${code}).`, [start, FALLBACK], error)
  }
  const detail = typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)
  const steps = ['check that the server is running and healthy', FALLBACK]
  return fail(`The connection to the embeddings server at ${shown} failed (${detail}).`, steps, error)
}

function describeHttpFailure(status: number, text: string, { shown, url, model, apiKey, fail }: Endpoint): AsteriaError {
  const message = errorMessage(text)
  const suggest = (step: string) => fail(`${shown} answered HTTP ${status} for model ${model}: ${message}.`, [step])
  const keyVariables = 'OPENAI_API_KEY or ASTERIA_OPENAI_API_KEY'
  if (status === 401 || status === 403) {
    return suggest(apiKey ? `check the API key in ${keyVariables}` : `set ${keyVariables}`)
  }
  if (status === 404 && /model/i.test(message)) return suggest(`check the model name (GET ${shown}/models lists them)`)
  if (status === 404) return suggest(`check the base URL: ${url} does not exist (it usually ends in /v1)`)
  if (status === 429) return suggest('wait and retry, or lower the request rate')
  if (status >= 500) return suggest('check the embeddings server log')
  return suggest(`check that ${model} is an embedding model served at ${shown}`)
}

/** OpenAI nests `{ error: { message } }`; other servers use `{ error }`, `{ message }` or `{ detail }`. */
function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown; detail?: unknown }
    const nested = body?.error as { message?: unknown } | string | undefined
    const found = [nested, (nested as { message?: unknown })?.message, body?.message, body?.detail]
    const message = found.find((m): m is string => typeof m === 'string')
    if (message !== undefined) return clip(message)
  } catch {
    // not JSON: show the text itself
  }
  return clip(text) || 'no message'
}

function toUnitVectors(body: unknown, count: number, dimensions: number | undefined, endpoint: Endpoint) {
  const data = (body as { data?: unknown })?.data
  const problem = shapeProblem(data, count, dimensions)
  if (problem) {
    const size = dimensions === undefined ? '' : ` of ${dimensions} numbers`
    const expected = `${count} embedding(s)${size} with indexes 0..${count - 1}`
    throw endpoint.fail(
      `${endpoint.shown} returned an unusable embeddings response for model ${endpoint.model}: ` +
        `expected ${expected}, received ${problem}.`,
      [`check that ${endpoint.model} is an embedding model`],
    )
  }
  const items = [...(data as Array<{ embedding: number[]; index: number }>)].sort((a, b) => a.index - b.index)
  return items.map((item) => normalizeVector(Float32Array.from(item.embedding)))
}

/** The API does not promise order: items are matched to inputs by `index`. */
function shapeProblem(data: unknown, count: number, dimensions: number | undefined): string | undefined {
  if (!Array.isArray(data)) return 'no "data" array'
  if (data.length !== count) return `${data.length} embedding(s)`
  const items = data as Array<{ embedding?: unknown; index?: unknown } | null>
  const indexes = items.map((item) => item?.index)
  const inRange = indexes.filter((i): i is number => Number.isInteger(i) && (i as number) >= 0 && (i as number) < count)
  const distinctInRange = new Set(inRange)
  if (distinctInRange.size !== count) return `indexes ${indexes.map(String).join(',')}`
  for (const item of items) {
    const i = item?.index as number
    const values = item?.embedding
    if (!Array.isArray(values) || values.length === 0) return `embedding ${i} empty or not a number array`
    if (dimensions !== undefined && values.length !== dimensions) return `embedding ${i} with ${values.length} numbers`
    if (!values.every((x) => typeof x === 'number' && Number.isFinite(x))) return `embedding ${i} with non-numbers`
    if (values.every((x) => x === 0)) return `embedding ${i} all zeros` // no direction to normalise to
  }
  return undefined
}

/** Every message and suggestion passes through here, so the key never reaches a log or a terminal. */
function redactedError(message: string, suggestions: string[], apiKey: string | undefined, cause?: unknown): AsteriaError {
  const redact = (text: string) => {
    const withoutBearer = text.replace(/Bearer\s+\S+/gi, 'Bearer [redacted]')
    return apiKey ? withoutBearer.split(apiKey).join('[redacted]') : withoutBearer
  }
  const safe = suggestions.map(redact)
  return new AsteriaError('EMBEDDER', redact(message), { suggestions: safe, cause })
}

function clip(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, ' ')
  return trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed
}
