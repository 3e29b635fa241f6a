import { AsteriaError } from '../core/errors.js'

export const DEFAULT_WEB_RESULTS = 5
const MAX_RESULTS = 20

/** The `k` tool argument (results wanted), checked the same way for every web source. */
export function resultCount(value: unknown, source: string, fallback = DEFAULT_WEB_RESULTS): number {
  if (value === undefined) return fallback
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_RESULTS) return value
  throw new AsteriaError('BAD_INPUT', `Expected the ${source} source's k to be a whole number from 1 to ${MAX_RESULTS}; received ${JSON.stringify(value)}.`, {
    suggestions: [`Omit k to get ${fallback} results.`],
  })
}
