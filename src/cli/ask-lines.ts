import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { AsteriaError, isAsteriaError } from '../core/errors.js'
import type { FetchResult } from '../core/cache/requests.js'

/** One non-blank input line: answered, or refused as bad input (an oversized or wordless question). */
export type LineOutcome = { line: number; query: string; result: FetchResult } | { line: number; query: string; refused: AsteriaError }

/**
 * Asks each non-blank line of `input` (`asteria query -`), numbered from 1. A line refused as
 * bad input is its own fault, so the batch goes on; any other failure (source, embedder, store)
 * would fail every later line too, so it stops the batch with the line number in its message.
 * Other errors (bugs) pass through unchanged.
 */
export async function* askLines(input: Readable, ask: (query: string) => Promise<FetchResult>): AsyncGenerator<LineOutcome> {
  let line = 0
  for await (const query of createInterface({ input, crlfDelay: Infinity })) {
    line++
    if (query.trim() === '') continue
    let result: FetchResult
    try {
      result = await ask(query)
    } catch (error) {
      if (!isAsteriaError(error)) throw error
      if (error.code === 'BAD_INPUT') {
        yield { line, query, refused: error }
        continue
      }
      throw new AsteriaError(error.code, `Line ${line} of stdin: ${error.message}`, { suggestions: error.suggestions, cause: error })
    }
    yield { line, query, result }
  }
}
