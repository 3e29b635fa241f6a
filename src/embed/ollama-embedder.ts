import type { ListResponse, Ollama } from 'ollama'
import { AsteriaError } from '../core/errors.js'
import { normalizeVector, type Embedder } from './embedder.js'
import { guardedFetch, UNREACHABLE_CODES } from '../ollama/guarded-fetch.js'

export interface OllamaEmbedderOptions {
  /** e.g. http://127.0.0.1:11434. The client does not read OLLAMA_HOST: the caller resolves it. */
  host: string
  model: string
  /** Limit for each HTTP request, body included (the client has no timeout of its own). */
  timeoutMs?: number
  fetch?: typeof fetch
}

export interface OllamaEmbedder extends Embedder {
  readonly host: string
  /** The model's digest from /api/tags, or undefined when the server does not list the model. */
  readonly digest: string | undefined
}

export const OLLAMA_BATCH_SIZE = 64
export const DEFAULT_OLLAMA_TIMEOUT_MS = 30_000

interface Context {
  host: string
  model: string
  timeoutMs: number
}

/** Connects, probes the vector size with one embed, and reads the model digest for the fingerprint. */
export async function createOllamaEmbedder(options: OllamaEmbedderOptions): Promise<OllamaEmbedder> {
  const { Ollama } = await import('ollama') // loaded only when Ollama is actually used
  const timeoutMs = options.timeoutMs ?? DEFAULT_OLLAMA_TIMEOUT_MS
  const context: Context = { host: options.host, model: options.model, timeoutMs }
  const baseFetch = options.fetch ?? globalThis.fetch
  // embed() and list() take no signal, so each call gets its own (cheap) client whose fetch carries one.
  const clientFor = (signal?: AbortSignal): Ollama => {
    try {
      return new Ollama({ host: options.host, fetch: guardedFetch(baseFetch, context.timeoutMs, signal) })
    } catch (error) {
      const message = `The Ollama host "${options.host}" is not a valid URL.`
      throw embedderError(message, ['pass a host like http://127.0.0.1:11434'], error)
    }
  }
  const embedBatch = async (texts: string[], dimensions: number | undefined, signal?: AbortSignal) => {
    const request = () => clientFor(signal).embed({ model: options.model, input: texts })
    const response = await callOllama(request, context, signal)
    return toUnitVectors(response, texts.length, dimensions, context)
  }

  const [probe] = await embedBatch(['dimension probe'], undefined)
  const dimensions = probe.length
  const listed = await callOllama(() => clientFor().list(), context)
  const entry = findListedModel(listed, options.model)
  const digest = typeof entry?.digest === 'string' && entry.digest !== '' ? entry.digest : undefined

  return {
    model: options.model,
    host: options.host,
    dimensions,
    digest,
    fingerprint: `ollama:${entry?.name ?? options.model}@${digest ?? 'unknown'}:${dimensions}`,
    async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
      const vectors: Float32Array[] = []
      for (let start = 0; start < texts.length; start += OLLAMA_BATCH_SIZE) {
        signal?.throwIfAborted()
        vectors.push(...(await embedBatch(texts.slice(start, start + OLLAMA_BATCH_SIZE), dimensions, signal)))
      }
      return vectors
    },
  }
}

/** "nomic-embed-text" names the listed "nomic-embed-text:latest", as in Ollama itself. */
function findListedModel(listed: ListResponse, model: string) {
  const models = Array.isArray(listed?.models) ? listed.models : []
  return models.find((m) => m.name === model || m.model === model || m.name === `${model}:latest`)
}



async function callOllama<T>(operation: () => Promise<T>, context: Context, signal?: AbortSignal): Promise<T> {
  try {
    return await operation()
  } catch (error) {
    if (signal?.aborted) throw signal.reason // the caller cancelled: not an embedder failure
    throw describeOllamaFailure(error, context)
  }
}

const FALLBACK = 'use --embedder static'

function describeOllamaFailure(error: unknown, { host, model, timeoutMs }: Context): AsteriaError {
  if (error instanceof AsteriaError) return error
  const fail = (message: string, ...suggestions: string[]) => embedderError(message, suggestions, error)
  const name = (error as { name?: unknown })?.name
  const text = error instanceof Error ? error.message : String(error)
  const healthy = 'check that Ollama is running and healthy'
  const notOllama = 'check that the host is an Ollama server'

  if (name === 'TimeoutError') {
    return fail(
      `Ollama did not answer within ${timeoutMs} ms at ${host} (model ${model}).`,
      `raise the embedder timeout (now ${timeoutMs} ms); loading a model can take several seconds`,
    )
  }
  if (name === 'ResponseError') {
    const status = Number((error as { status_code?: unknown }).status_code)
    if (/does not support embeddings/i.test(text)) {
      const pull = 'use an embedding model, e.g. `ollama pull nomic-embed-text`'
      return fail(`The Ollama model ${model} does not make embeddings (${text}).`, pull)
    }
    if (status === 404 && /model/i.test(text)) {
      return fail(`Ollama at ${host} has no model ${model} (${text}).`, `\`ollama pull ${model}\``)
    }
    if (status === 404) return fail(`${host} answered 404 Not Found for the Ollama API (${text}).`, notOllama)
    const log = 'check the Ollama server log (`journalctl -u ollama` or the `ollama serve` terminal)'
    return fail(`Ollama at ${host} answered HTTP ${status} for model ${model}: ${text}.`, log)
  }
  const code = causeCode(error)
  if (code && UNREACHABLE_CODES.has(code)) {
    return fail(`Ollama is not reachable at ${host} (${code}).`, 'run `ollama serve`', FALLBACK)
  }
  if (code || text === 'fetch failed') {
    return fail(`The connection to Ollama at ${host} failed (${code ?? text}).`, healthy, FALLBACK)
  }
  if (error instanceof SyntaxError) {
    return fail(`Ollama at ${host} returned a response that is not JSON (${text}).`, notOllama)
  }
  return fail(`The Ollama request failed at ${host} (model ${model}): ${text}.`, healthy, FALLBACK)
}

/** Steps to fix go in `suggestions`: the CLI prints them as "Try this:", library callers read them. */
function embedderError(message: string, suggestions: string[], cause?: unknown): AsteriaError {
  return new AsteriaError('EMBEDDER', message, { cause, suggestions })
}

/** undici reports socket errors as `TypeError: fetch failed` with the code on the cause (or its inner errors). */
function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown; errors?: Array<{ code?: unknown }> } })?.cause
  const code = cause?.code ?? cause?.errors?.[0]?.code
  return typeof code === 'string' ? code : undefined
}

function toUnitVectors(response: unknown, count: number, dimensions: number | undefined, context: Context) {
  const embeddings = (response as { embeddings?: unknown })?.embeddings
  const problem = shapeProblem(embeddings, count, dimensions)
  if (problem) {
    const expected = `${count} vector(s)${dimensions === undefined ? '' : ` of ${dimensions} numbers`}`
    const { host, model } = context
    throw embedderError(
      `Ollama at ${host} returned an unusable embedding for model ${model}: expected ${expected}, received ${problem}.`,
      [`check that ${model} is an embedding model and that ${host} is an Ollama server`],
    )
  }
  return (embeddings as number[][]).map((values) => normalizeVector(Float32Array.from(values)))
}

function shapeProblem(embeddings: unknown, count: number, dimensions: number | undefined): string | undefined {
  if (!Array.isArray(embeddings)) return 'no "embeddings" array'
  if (embeddings.length !== count) return `${embeddings.length} vector(s)`
  for (const [i, values] of (embeddings as unknown[]).entries()) {
    if (!Array.isArray(values) || values.length === 0) return `vector ${i} empty or not an array`
    if (dimensions !== undefined && values.length !== dimensions) return `vector ${i} with ${values.length} numbers`
    if (!values.every((x) => typeof x === 'number' && Number.isFinite(x))) return `vector ${i} with non-numbers`
    if (values.every((x) => x === 0)) return `vector ${i} all zeros` // no direction to normalise to
  }
  return undefined
}
