import type { Ollama } from 'ollama'
import { guardedFetch } from './guarded-fetch.js'

/** A fresh client per call, whose fetch carries the timeout and this call's signal. */
export type OllamaClientFor = (signal?: AbortSignal) => Ollama

/**
 * The one place Asteria makes Ollama clients (the probe, the judge's chat call, the agent's chat
 * model): the official client is loaded only when Ollama is used, and every client goes through
 * the guarded fetch (a timeout and the caller's signal, error bodies re-served as JSON).
 * Constructing a client throws on a host that is not a valid URL.
 */
export async function ollamaClients(host: string, timeoutMs: number, baseFetch: typeof fetch = globalThis.fetch): Promise<OllamaClientFor> {
  const { Ollama: Client } = await import('ollama')
  return (signal) => new Client({ host, fetch: guardedFetch(baseFetch, timeoutMs, signal) })
}
