import { readFileSync } from 'node:fs'
import { AsteriaError } from '../core/errors.js'
import { pairSplit, type PairSplit } from './pair-splits.js'

/** One line of the public pairs format: `{"a": "...", "b": "...", "equivalent": true}`, optionally with a `"category"`. */
export interface LabelledPair {
  a: string
  b: string
  equivalent: boolean
  /** What kind of pair it is ("same-paragraph", "template-focus", ...): `judge eval` reports each apart. */
  category?: string
}

export type PairSelection = PairSplit | 'all'

const MAX_BAD_LINES_SHOWN = 3

/**
 * Parses JSON Lines pairs, checking every line first: any bad line makes the whole file an
 * error that names the lines (exit code 9, like an import file). Blank lines are skipped.
 */
export function parsePairLines(text: string, source = 'the pairs file'): LabelledPair[] {
  const pairs: LabelledPair[] = []
  const problems: string[] = []
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim()
    if (line === '') return
    const problem = pairProblem(line)
    if (typeof problem === 'string') problems.push(`line ${index + 1}: ${problem}`)
    else pairs.push(problem)
  })
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_BAD_LINES_SHOWN).join('; ')
    const more = problems.length > MAX_BAD_LINES_SHOWN ? ` (and ${problems.length - MAX_BAD_LINES_SHOWN} more bad lines)` : ''
    throw new AsteriaError('IMPORT', `${source} is not a valid pairs file: ${shown}${more}.`, {
      suggestions: ['Each line must be a JSON object {"a": "question", "b": "question", "equivalent": true|false}.'],
    })
  }
  if (pairs.length === 0) {
    throw new AsteriaError('IMPORT', `${source} holds no pairs.`, {
      suggestions: ['Write one JSON object {"a", "b", "equivalent"} per line.'],
    })
  }
  return pairs
}

function pairProblem(line: string): LabelledPair | string {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return `expected a JSON object, received ${JSON.stringify(line.slice(0, 40))}`
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `expected a JSON object, received ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`
  const { a, b, equivalent, category } = value as Record<string, unknown>
  if (typeof a !== 'string' || a.trim() === '') return `expected "a" to be a non-empty string, received ${JSON.stringify(a) ?? 'nothing'}`
  if (typeof b !== 'string' || b.trim() === '') return `expected "b" to be a non-empty string, received ${JSON.stringify(b) ?? 'nothing'}`
  if (typeof equivalent !== 'boolean') return `expected "equivalent" to be true or false, received ${JSON.stringify(equivalent) ?? 'nothing'}`
  if (category !== undefined && (typeof category !== 'string' || category.trim() === '')) return `expected "category" to be a non-empty string when given, received ${JSON.stringify(category)}`
  return category === undefined ? { a, b, equivalent } : { a, b, equivalent, category }
}

/** Reads and validates a pairs file; a missing or unreadable file is bad input (exit code 2). */
export function readPairsFile(path: string): LabelledPair[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new AsteriaError('BAD_INPUT', `Cannot read the pairs file ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, {
      cause: error,
      suggestions: ['Pass --pairs with the path of a JSON Lines file, e.g. fixtures/pairs/example.jsonl.'],
    })
  }
  return parsePairLines(text, path)
}

/** The fixed hash split of src/scoring/pair-splits.ts: tune on `train`, report `heldout`. */
export function selectPairs(pairs: LabelledPair[], selection: PairSelection): LabelledPair[] {
  return selection === 'all' ? pairs : pairs.filter((p) => pairSplit(p.a, p.b) === selection)
}
