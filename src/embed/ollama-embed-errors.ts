import { AsteriaError } from '../core/errors.js'
import { UNREACHABLE_CODES } from '../ollama/guarded-fetch.js'
import { OLLAMA_FEATURES, UPGRADE_OLLAMA, lacks, tooOld } from '../ollama/server-features.js'

/** Where a failed call went, and the server's version when a plain 404 made it worth asking. */
export interface FailureContext {
  host: string
  model: string
  timeoutMs: number
  version?: string
}

const FALLBACK = 'use --embedder static'

/** A 404 whose text names no model: the path itself is missing (a server older than /api/embed, or not Ollama). */
export function isMissingPath(error: unknown): boolean {
  const { name, status_code: status, message } = (error ?? {}) as { name?: unknown; status_code?: unknown; message?: unknown }
  return name === 'ResponseError' && Number(status) === 404 && !/model/i.test(String(message))
}

export function describeOllamaFailure(error: unknown, { host, model, timeoutMs, version }: FailureContext): AsteriaError {
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
    // Servers without /api/show capabilities (before 0.6.4) only say so when embedding: 500 with this text in v0.12.11.
    if (/does not support embeddings/i.test(text)) {
      const pull = 'use an embedding model, e.g. `ollama pull nomic-embed-text`'
      return fail(`The Ollama model ${model} does not make embeddings (${text.trim()}).`, pull)
    }
    if (status === 404 && /model/i.test(text)) {
      return fail(`Ollama at ${host} has no model ${model} (${text}).`, `\`ollama pull ${model}\``)
    }
    if (status === 404 && version !== undefined && lacks(version, OLLAMA_FEATURES.embed)) {
      return fail(`${tooOld(version, OLLAMA_FEATURES.embed)}.`, UPGRADE_OLLAMA, FALLBACK)
    }
    if (status === 404 && version !== undefined) return fail(`Ollama ${version} at ${host} answered 404 Not Found (${text}).`, 'check the path in OLLAMA_HOST (a proxy prefix?)')
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
export function embedderError(message: string, suggestions: string[], cause?: unknown): AsteriaError {
  return new AsteriaError('EMBEDDER', message, { cause, suggestions })
}

/** undici reports socket errors as `TypeError: fetch failed` with the code on the cause (or its inner errors). */
function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown; errors?: Array<{ code?: unknown }> } })?.cause
  const code = cause?.code ?? cause?.errors?.[0]?.code
  return typeof code === 'string' ? code : undefined
}
