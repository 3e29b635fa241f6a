import type { ListResponse, Ollama } from 'ollama'
import { type Embedder } from '../core/ports/embedder.js'
import { normalizeVector } from '../core/util/vectors.js'
import { describeOllamaFailure, embedderError, isMissingPath, type FailureContext } from './ollama-embed-errors.js'
import { ollamaClients } from '../ollama/client.js'

export interface OllamaEmbedderOptions {
  /** e.g. http://127.0.0.1:11434. The client does not read OLLAMA_HOST: the caller resolves it (ollamaUrl). */
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

/**
 * Connects, checks that the model makes embeddings (its /api/show capabilities: releases after
 * v0.12.11 embed with a chat model without complaint), probes the vector size with one embed, and
 * reads the model digest for the fingerprint.
 */
export async function createOllamaEmbedder(options: OllamaEmbedderOptions): Promise<OllamaEmbedder> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_OLLAMA_TIMEOUT_MS
  const context: FailureContext = { host: options.host, model: options.model, timeoutMs }
  const clientAt = await ollamaClients(options.host, timeoutMs, options.fetch ?? globalThis.fetch) // loaded only when Ollama is actually used
  // embed() and list() take no signal, so each call gets its own (cheap) client whose fetch carries one.
  const clientFor = (signal?: AbortSignal): Ollama => {
    try {
      return clientAt(signal)
    } catch (error) {
      const message = `The Ollama host "${options.host}" is not a valid URL.`
      throw embedderError(message, ['pass a host like http://127.0.0.1:11434'], error)
    }
  }
  const callOllama = async <T>(operation: () => Promise<T>, signal?: AbortSignal): Promise<T> => {
    try {
      return await operation()
    } catch (error) {
      if (signal?.aborted) throw signal.reason // the caller cancelled: not an embedder failure
      // A path the server lacks: its version tells an old Ollama (no /api/embed before 0.2.6) from something else.
      const version = isMissingPath(error) ? await clientFor().version().then((v) => v.version, () => undefined) : undefined
      throw describeOllamaFailure(error, { ...context, version })
    }
  }
  const embedBatch = async (texts: string[], dimensions: number | undefined, signal?: AbortSignal) => {
    const response = await callOllama(() => clientFor(signal).embed({ model: options.model, input: texts }), signal)
    return toUnitVectors(response, texts.length, dimensions, context)
  }

  const { capabilities } = await callOllama(() => clientFor().show({ model: options.model }))
  if (Array.isArray(capabilities) && !capabilities.includes('embedding')) {
    const can = capabilities.join(', ') || 'nothing listed'
    throw embedderError(`The Ollama model ${options.model} does not make embeddings (Ollama at ${options.host} lists what it can do: ${can}).`, [
      'use an embedding model, e.g. `ollama pull nomic-embed-text` and --embedder-model nomic-embed-text',
    ])
  }
  const [probe] = await embedBatch(['dimension probe'], undefined)
  const dimensions = probe.length
  const listed = await callOllama(() => clientFor().list())
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

function toUnitVectors(response: unknown, count: number, dimensions: number | undefined, context: FailureContext) {
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
