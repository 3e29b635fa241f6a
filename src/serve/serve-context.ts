import type { Asteria } from '../asteria.js'
import { MAX_QUERY_BYTES } from '../core/query-limits.js'
import { withDeadline } from './deadline.js'
import { InflightWork } from './inflight-work.js'
import { ServeError } from './serve-errors.js'
import type { SessionLister } from './session-lister.js'

/** What every route needs: the cache, how to run work on it, and the service's settings. */
export interface ServeContext {
  asteria: Asteria
  work: InflightWork
  /** Runs cache work under the request deadline, tracked so a shutdown waits for it. */
  perform<T>(work: () => Promise<T>): Promise<T>
  sessions: SessionLister
  version: string
  now(): number
}

export function createServeContext(
  asteria: Asteria,
  settings: { requestTimeoutMs: number; sessions: SessionLister; version: string; work?: InflightWork },
): ServeContext {
  const work = settings.work ?? new InflightWork()
  return {
    asteria,
    work,
    perform: (fn) => withDeadline(work.run(fn), settings.requestTimeoutMs),
    sessions: settings.sessions,
    version: settings.version,
    now: () => asteria.cache.clock.now(),
  }
}

/** An oversized query is a too-large request (413), caught before any embedding work. */
export function requireQuerySize(query: string): void {
  const bytes = Buffer.byteLength(query, 'utf8')
  if (bytes > MAX_QUERY_BYTES) {
    throw new ServeError('TOO_LARGE', 413, `Expected a query of at most ${MAX_QUERY_BYTES} bytes, received ${bytes} bytes.`, [
      'Send the question itself, not the document it is about.',
    ])
  }
}
