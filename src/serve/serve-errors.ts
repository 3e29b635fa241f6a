import { isAsteriaError, type AsteriaErrorCode } from '../core/errors.js'

export type ServeErrorCode =
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'TOO_LARGE'
  | 'TIMEOUT'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'BAD_INPUT'
  | 'UNSUPPORTED_MEDIA_TYPE'

/** An error that only exists over HTTP (auth, limits, deadlines), with the status it is sent with. */
export class ServeError extends Error {
  constructor(
    readonly code: ServeErrorCode,
    readonly status: number,
    message: string,
    readonly suggestions: string[] = [],
  ) {
    super(message)
    this.name = 'ServeError'
  }
}

/** The body of every error response: what went wrong and what to try next; never a stack. */
export interface ErrorBody {
  error: { code: string; message: string; suggestions: string[] }
}

const STATUS_BY_CODE: Record<AsteriaErrorCode, number> = {
  BAD_INPUT: 400,
  IMPORT: 400,
  NOT_FOUND: 404,
  CONFIG: 500,
  STORE: 500,
  // A provider behind the service failed: the service is a gateway to it.
  EMBEDDER: 502,
  SOURCE: 502,
  JUDGE: 502,
  // The service is shutting down.
  INTERRUPTED: 503,
}

interface FastifyLikeError {
  code?: string
  statusCode?: number
  validation?: unknown[]
  message: string
}

const TOO_LARGE_HINT = "Send a smaller body: it must fit the service's body limit (1 MiB for `asteria serve`)."

// fastify's own client errors: malformed JSON, a body over the limit, a content type it cannot read.
const FASTIFY_CODES: Record<number, ServeErrorCode> = { 400: 'BAD_INPUT', 413: 'TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' }

/** Maps any error to an HTTP status and a structured body; `null` when it is unexpected (a bug: 500). */
export function describeError(error: unknown, example?: string): { status: number; body: ErrorBody } | null {
  if (error instanceof ServeError) return reply(error.status, error.code, error.message, error.suggestions)
  if (isAsteriaError(error)) return reply(STATUS_BY_CODE[error.code], error.code, error.message, error.suggestions)
  const e = error as FastifyLikeError
  const suggestions = example ? [`Send a request like ${example}`] : []
  if (e?.validation) return reply(400, 'BAD_INPUT', `Expected a valid request: ${e.message}.`, suggestions)
  const code = typeof e?.statusCode === 'number' ? FASTIFY_CODES[e.statusCode] : undefined
  if (code && e.code?.startsWith('FST_')) return reply(e.statusCode!, code, withPeriod(e.message), code === 'TOO_LARGE' ? [TOO_LARGE_HINT] : suggestions)
  return null
}

export const UNEXPECTED: ErrorBody = {
  error: {
    code: 'INTERNAL',
    message: 'An unexpected error stopped this request; the server logged it.',
    suggestions: ['Retry; if it happens again, report it with the server log (a bug in Asteria).'],
  },
}

function reply(status: number, code: string, message: string, suggestions: string[]) {
  return { status, body: { error: { code, message, suggestions } } }
}

function withPeriod(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`
}
