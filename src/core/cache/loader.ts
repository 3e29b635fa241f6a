import { systemClock, type Clock } from '../clock.js'

export interface LoaderResult {
  result: unknown
  /** Measured latency of the remote call, ms (default: time the loader took on the clock). */
  latencyMs?: number
  costUsd?: number
  /** false when the source failed softly (e.g. an empty result after an error): not stored. */
  cacheable?: boolean
}

/** Calls the knowledge source on a miss; the cache calls it once for all equivalent concurrent requests. */
export type Loader = (signal?: AbortSignal) => Promise<LoaderResult>

export type LoaderCall = Required<Omit<LoaderResult, 'cacheable'>> & { cacheable?: boolean }

/** Runs a loader and measures it: its own latency and cost when it reports them, else the time it took. */
export async function callLoader(loader: Loader, clock: Clock): Promise<LoaderCall> {
  const started = clock.now()
  const wallStart = performance.now()
  const outcome = await loader()
  const measured = clock === systemClock ? performance.now() - wallStart : clock.now() - started
  return { result: outcome.result, latencyMs: outcome.latencyMs ?? measured, costUsd: outcome.costUsd ?? 0, cacheable: outcome.cacheable }
}

/** A source answer with nothing in it is not worth serving again. */
export function isEmptyResult(result: unknown): boolean {
  if (result === null || result === undefined) return true
  if (typeof result === 'string') return result.trim().length === 0
  if (Array.isArray(result)) return result.length === 0
  const documents = (result as { documents?: unknown }).documents
  return Array.isArray(documents) && documents.length === 0
}
