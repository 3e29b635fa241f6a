/**
 * One error family for the library and the CLI. Messages say what was expected, what was
 * received, and what to do next; `exitCode` is what the CLI exits with (README, "Exit codes").
 */
export type AsteriaErrorCode =
  | 'BAD_INPUT'
  | 'NOT_FOUND'
  | 'CONFIG'
  | 'STORE'
  | 'EMBEDDER'
  | 'SOURCE'
  | 'JUDGE'
  | 'IMPORT'
  | 'INTERRUPTED'

export const EXIT_CODES: Record<AsteriaErrorCode, number> = {
  BAD_INPUT: 2,
  CONFIG: 3,
  NOT_FOUND: 4,
  STORE: 5,
  EMBEDDER: 6,
  SOURCE: 7,
  JUDGE: 8,
  IMPORT: 9,
  // 128 + SIGINT, as shells report a process Ctrl+C stopped.
  INTERRUPTED: 130,
}

export interface AsteriaErrorOptions {
  suggestions?: string[]
  cause?: unknown
}

export class AsteriaError extends Error {
  readonly code: AsteriaErrorCode
  readonly exitCode: number
  readonly suggestions: string[]

  constructor(code: AsteriaErrorCode, message: string, options: AsteriaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AsteriaError'
    this.code = code
    this.exitCode = EXIT_CODES[code]
    this.suggestions = options.suggestions ?? []
  }

  toJSON(): { code: string; message: string; exitCode: number; suggestions: string[] } {
    return { code: this.code, message: this.message, exitCode: this.exitCode, suggestions: this.suggestions }
  }
}

export function isAsteriaError(error: unknown): error is AsteriaError {
  return error instanceof AsteriaError
}
