import type { ChatRequest, ChatResponse, Ollama } from 'ollama'
import { AsteriaError } from '../core/errors.js'
import { ollamaClients } from './client.js'
import { UNREACHABLE_CODES } from './guarded-fetch.js'

/**
 * One non-streamed chat call to Ollama for the judge and the staticity scorer (src/judge): a
 * fresh client per call (./client.ts) whose fetch carries a timeout and the caller's signal
 * (the client has neither), and whose error bodies
 * are re-served as JSON (on other bodies the client console.logs to stdout, breaking --json).
 * Failures become JUDGE errors (exit code 8) that say what to do.
 */
export interface OllamaChatSettings {
  host: string
  model: string
  /** Limit for each HTTP request, ms. */
  timeoutMs: number
  /** How long Ollama keeps the model loaded after the call ("30m", or seconds). */
  keepAlive: string | number
  fetch?: typeof fetch
}

export type ChatCall = (request: Omit<ChatRequest, 'model' | 'stream' | 'keep_alive'>, signal?: AbortSignal) => Promise<ChatResponse>

export async function createOllamaChat(settings: OllamaChatSettings): Promise<ChatCall> {
  const clientAt = await ollamaClients(settings.host, settings.timeoutMs, settings.fetch ?? globalThis.fetch) // loaded only when an Ollama judge is used
  const clientFor = (signal?: AbortSignal): Ollama => {
    try {
      return clientAt(signal)
    } catch (error) {
      throw judgeError(`The Ollama host "${settings.host}" is not a valid URL.`, ['pass a host like http://127.0.0.1:11434 (--judge-host or OLLAMA_HOST)'], error)
    }
  }
  return async (request, signal) => {
    try {
      return await clientFor(signal).chat({ ...request, model: settings.model, stream: false, keep_alive: settings.keepAlive })
    } catch (error) {
      if (signal?.aborted) throw signal.reason
      throw describeFailure(error, settings)
    }
  }
}

const FALLBACK = 'pass --judge guard to judge offline'

export function judgeError(message: string, suggestions: string[], cause?: unknown): AsteriaError {
  return new AsteriaError('JUDGE', message, { cause, suggestions })
}

function describeFailure(error: unknown, { host, model, timeoutMs }: OllamaChatSettings): AsteriaError {
  if (error instanceof AsteriaError) return error
  const fail = (message: string, ...suggestions: string[]) => judgeError(message, suggestions, error)
  const name = (error as { name?: unknown })?.name
  const text = error instanceof Error ? error.message : String(error)
  if (name === 'TimeoutError') {
    return fail(`The Ollama judge did not answer within ${timeoutMs} ms at ${host} (model ${model}).`, `raise judgeTimeoutMs (now ${timeoutMs} ms); loading a model can take seconds`, FALLBACK)
  }
  if (name === 'ResponseError') {
    const status = Number((error as { status_code?: unknown }).status_code)
    if (status === 404 && /model/i.test(text)) return fail(`Ollama at ${host} has no model ${model} (${text}).`, `\`ollama pull ${model}\``, FALLBACK)
    if (status === 404) return fail(`${host} answered 404 Not Found for the Ollama API (${text}).`, 'check that the host is an Ollama server')
    return fail(`Ollama at ${host} answered HTTP ${status} for the judge model ${model}: ${text}.`, 'check the Ollama server log', FALLBACK)
  }
  const cause = (error as { cause?: { code?: unknown; errors?: Array<{ code?: unknown }> } })?.cause
  const code = cause?.code ?? cause?.errors?.[0]?.code
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return fail(`Ollama is not reachable at ${host} (${code}).`, 'run `ollama serve`', FALLBACK)
  if (error instanceof SyntaxError) return fail(`Ollama at ${host} returned a response that is not JSON (${text}).`, 'check that the host is an Ollama server')
  return fail(`The Ollama judge request failed at ${host} (model ${model}): ${typeof code === 'string' ? code : text}.`, 'check that Ollama is running and healthy', FALLBACK)
}
