import { AsteriaError } from './errors.js'
import { normalizeQuery } from './normalize.js'

/** The longest query the cache accepts, in UTF-8 bytes (README, "Limits"). */
export const MAX_QUERY_BYTES = 8 * 1024

/** The largest result stored, as JSON bytes: bigger ones are served but not cached (README, "Limits"). */
export const MAX_RESULT_BYTES = 1024 * 1024

/** Rejects what no knowledge source can answer: empty, wordless or oversized queries. */
export function validateQuery(query: unknown): string {
  if (typeof query !== 'string') {
    throw new AsteriaError('BAD_INPUT', `Expected the query to be text, received ${typeof query}.`)
  }
  // Lone surrogates cannot be stored or embedded faithfully; replace them rather than fail.
  const text = query.toWellFormed().replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ')
  if (text.trim().length === 0) {
    throw new AsteriaError('BAD_INPUT', 'Expected a non-empty query, received an empty or whitespace-only one.', {
      suggestions: ['Pass the question as an argument: asteria query "who wrote hamlet"'],
    })
  }
  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes > MAX_QUERY_BYTES) {
    throw new AsteriaError(
      'BAD_INPUT',
      `Expected a query of at most ${MAX_QUERY_BYTES} bytes, received ${bytes} bytes.`,
      { suggestions: ['Send the question itself, not the document it is about.'] },
    )
  }
  // A wordless query has an empty exact-match key: every other wordless query would be its exact repeat.
  if (normalizeQuery(text) === '') {
    const shown = text.trim().length > 40 ? `${text.trim().slice(0, 39)}…` : text.trim()
    throw new AsteriaError('BAD_INPUT', `Expected a question with at least one word (letters or digits), received "${shown}".`, {
      suggestions: ['Ask in words: asteria query "who wrote hamlet"'],
    })
  }
  return text.trim()
}
