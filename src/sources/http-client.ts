import { elapsedMs, startTimer } from '../core/clock.js'
import { AsteriaError } from '../core/errors.js'
import { realSleep, type Sleep } from './simulated-region.js'

export interface SourceHttpOptions {
  /** Names the source in every error ("wikipedia", "tavily"...). */
  source: string
  timeoutMs?: number
  /** Further attempts after a 429, a 5xx, a timeout or a dropped connection. */
  retries?: number
  /** First backoff, doubled on each retry (when the answer carries no Retry-After). */
  backoffMs?: number
  /** A Retry-After longer than this fails at once instead of stalling the agent. */
  maxRetryAfterMs?: number
  /** Injected by tests so that backoff never really waits. */
  sleep?: Sleep
  fetch?: typeof fetch
  /** Values that must never appear in an error (API keys). */
  secrets?: string[]
  /** What to do when the source rejects the credentials (e.g. "set TAVILY_API_KEY"). */
  credentialsHint?: string
}

export interface SourceHttpRequest {
  url: string
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: unknown
  signal?: AbortSignal
}

export interface SourceHttpResponse {
  body: unknown
  /** Wall time of the call, retries and their waits included, ms. */
  latencyMs: number
  attempts: number
}

export const USER_AGENT = 'asteria/0.1 (semantic knowledge cache; +https://www.npmjs.com/package/asteria)'
const DEFAULTS = { timeoutMs: 10_000, retries: 2, backoffMs: 500, maxRetryAfterMs: 30_000 }
const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'EAI_AGAIN'])

/** Outcome of one attempt: a parsed body, or a failure that may be retried after `waitMs`. */
type Attempt = { ok: true; body: unknown } | { ok: false; error: AsteriaError; retry: boolean; waitMs?: number }

/**
 * The HTTP behaviour every web knowledge source shares: a timeout per attempt, bounded
 * retries with exponential backoff on 429/5xx honouring Retry-After, and errors that name the
 * source, say what happened and what to do, and never contain a secret.
 */
export class SourceHttpClient {
  private readonly options: Required<Omit<SourceHttpOptions, 'credentialsHint'>> & { credentialsHint?: string }

  constructor(options: SourceHttpOptions) {
    this.options = {
      ...DEFAULTS,
      sleep: realSleep,
      fetch: globalThis.fetch,
      secrets: [],
      ...definedOnly(options),
    } as typeof this.options
  }

  get source(): string {
    return this.options.source
  }

  async json(request: SourceHttpRequest): Promise<SourceHttpResponse> {
    const start = startTimer()
    const { retries, backoffMs } = this.options
    for (let attempt = 0; ; attempt++) {
      request.signal?.throwIfAborted()
      const outcome = await this.attempt(request)
      if (outcome.ok) return { body: outcome.body, latencyMs: elapsedMs(start), attempts: attempt + 1 }
      if (!outcome.retry || attempt >= retries) {
        if (outcome.retry && retries > 0) outcome.error.message += ` (gave up after ${attempt + 1} attempts)`
        throw outcome.error
      }
      await this.options.sleep(outcome.waitMs ?? backoffMs * 2 ** attempt, request.signal)
    }
  }

  private async attempt(request: SourceHttpRequest): Promise<Attempt> {
    const { timeoutMs } = this.options
    const signals = [AbortSignal.timeout(timeoutMs), request.signal].filter((s): s is AbortSignal => s !== undefined)
    let response: Response
    let text: string
    try {
      response = await this.options.fetch(request.url, {
        method: request.method ?? 'GET',
        headers: {
          accept: 'application/json',
          'user-agent': USER_AGENT,
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...request.headers,
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.any(signals),
      })
      text = await response.text()
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason
      return this.networkFailure(request, error)
    }
    if (response.ok) return this.parse(request, response, text)
    return this.statusFailure(request, response, text)
  }

  private parse(request: SourceHttpRequest, response: Response, text: string): Attempt {
    try {
      return { ok: true, body: JSON.parse(text) }
    } catch (error) {
      const type = response.headers.get('content-type') ?? 'no content type'
      return {
        ok: false,
        retry: false,
        error: this.error(`answered ${this.where(request)} with something that is not JSON (${type}): ${snippet(text)}`, [
          'Check the base URL: it must point at the API, not at a web page.',
        ], error),
      }
    }
  }

  private statusFailure(request: SourceHttpRequest, response: Response, text: string): Attempt {
    const status = response.status
    const detail = `HTTP ${status} from ${this.where(request)}${text.trim() ? `: ${snippet(text)}` : ''}`
    if (status === 429 || status >= 500) {
      const waitMs = retryAfterMs(response.headers.get('retry-after'))
      if (waitMs !== undefined && waitMs > this.options.maxRetryAfterMs) {
        const seconds = Math.ceil(waitMs / 1000)
        return { ok: false, retry: false, error: this.error(`${detail}; it asks to wait ${seconds} s before retrying.`, ['Wait and run again, or use another source (ASTERIA_SOURCE=local).']) }
      }
      const what = status === 429 ? 'is rate-limiting requests' : 'failed on its side'
      return { ok: false, retry: true, waitMs, error: this.error(`${what}: ${detail}.`, ['Run again later, or use another source (ASTERIA_SOURCE=local).']) }
    }
    if (status === 401 || status === 403) {
      const hint = this.options.credentialsHint ?? 'Check the credentials the source needs.'
      return { ok: false, retry: false, error: this.error(`rejected the request: ${detail}.`, [hint]) }
    }
    if (status === 404) {
      return { ok: false, retry: false, error: this.error(`has no such endpoint: ${detail}.`, ['Check the base URL in the configuration.']) }
    }
    return { ok: false, retry: false, error: this.error(`refused the request: ${detail}.`, ['Check the source settings (base URL, parameters).']) }
  }

  private networkFailure(request: SourceHttpRequest, error: unknown): Attempt {
    const name = (error as { name?: string })?.name
    if (name === 'TimeoutError' || name === 'AbortError') {
      return {
        ok: false,
        retry: true,
        error: this.error(`did not answer within ${this.options.timeoutMs} ms at ${this.where(request)}.`, [
          'Raise the source timeout (ASTERIA_SOURCE_TIMEOUT_MS), or check that the service is up.',
        ], error),
      }
    }
    const code = causeCode(error)
    return {
      ok: false,
      retry: code === undefined || RETRYABLE_CODES.has(code),
      error: this.error(`is not reachable at ${this.where(request)} (${code ?? causeMessage(error) ?? (error as Error).message}).`, [
        'Check the base URL and that the service is running, or use another source (ASTERIA_SOURCE=local).',
      ], error),
    }
  }

  /** Origin and path only: query strings may carry keys or the user's question. */
  private where(request: SourceHttpRequest): string {
    try {
      const url = new URL(request.url)
      return `${url.origin}${url.pathname}`
    } catch {
      return 'an invalid URL'
    }
  }

  private error(message: string, suggestions: string[], cause?: unknown): AsteriaError {
    const redact = (text: string) => this.options.secrets.filter((s) => s.length > 0).reduce((t, s) => t.split(s).join('***'), text)
    return new AsteriaError('SOURCE', redact(`The ${this.options.source} source ${message}`), {
      suggestions: suggestions.map(redact),
      // The cause may hold request headers: keep only its class and code.
      cause: cause === undefined ? undefined : { name: (cause as Error)?.name, code: causeCode(cause) },
    })
  }
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Number(header.trim()) * 1000
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

function snippet(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown; errors?: Array<{ code?: unknown }> } })?.cause
  const code = cause?.code ?? cause?.errors?.[0]?.code
  return typeof code === 'string' ? code : undefined
}

/** undici's "fetch failed" hides the reason (e.g. "bad port") in its cause. */
function causeMessage(error: unknown): string | undefined {
  const message = (error as { cause?: { message?: unknown } })?.cause?.message
  return typeof message === 'string' && message !== '' ? message : undefined
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
