import { AsteriaError } from '../core/errors.js'

/** The commands that only read a cache file, and so work on one this user may not write. */
export const READ_ONLY_COMMANDS = 'asteria cache stats, cache inspect, cache export, sessions and doctor'

function codeOf(error: unknown): string {
  return String((error as { code?: unknown })?.code ?? '')
}

/** A failure SQLite reports about a database file itself (not a bug in a statement): damaged, foreign, read-only, unopenable. */
export function isSqliteFileFailure(error: unknown): boolean {
  return /^SQLITE_(CORRUPT|NOTADB|READONLY|CANTOPEN)/.test(codeOf(error))
}

/** The cache file cannot be written by this user (or SQLite cannot create its journal next to it). */
export function readOnlyFileError(path: string, cause?: unknown): AsteriaError {
  return new AsteriaError('STORE', `The cache file ${path} is read-only for this user (the file, or its folder, where SQLite keeps its write-ahead log, is not writable); this command writes to it.`, {
    suggestions: [`Read-only commands work on it as it is: ${READ_ONLY_COMMANDS}.`, 'To store answers, pass --db with a file you can write, or ask its owner for write access to the file and its folder.'],
    cause,
  })
}

/**
 * The STORE error (exit 5) for a failure SQLite reports about the cache file, whenever it shows:
 * a damaged page is found only by the statement that reads it. Other errors give undefined.
 */
export function cacheFileError(path: string, error: unknown): AsteriaError | undefined {
  const code = codeOf(error)
  const reported = error instanceof Error ? error.message : String(error)
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
    return new AsteriaError('STORE', `The cache file ${path} is not a SQLite database or is corrupt (SQLite: ${reported}).`, {
      suggestions: [
        `Move it away (mv "${path}" "${path}.bad") and run again to start a new cache, or pass --db with another path.`,
        `Then save what is still readable, if anything: asteria cache export --db "${path}.bad" -o rescued.jsonl, and asteria cache import rescued.jsonl.`,
      ],
      cause: error,
    })
  }
  if (code.startsWith('SQLITE_READONLY')) return readOnlyFileError(path, error)
  if (code === 'EISDIR') {
    return new AsteriaError('STORE', `Expected a cache file, but ${path} is a folder.`, {
      suggestions: [`Pass --db with a file path, such as ${path.replace(/\/$/, '')}/cache.sqlite.`],
      cause: error,
    })
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new AsteriaError('STORE', `Cannot open the cache file ${path} (${reported}).`, {
      suggestions: ['Check that its folder exists and is writable, or pass --db with another path.'],
      cause: error,
    })
  }
  return undefined
}
