import { extractQueryFacts, type EntityLexicon, type QueryFacts } from './query-facts.js'

export type GuardReasonKind = 'entity' | 'number' | 'date' | 'unit' | 'negation' | 'comparative' | 'question-type'

export interface GuardReason {
  kind: GuardReasonKind
  /** e.g. `date: "2020" vs "2021"` — shown in the decision record. */
  detail: string
}

export interface GuardVerdict {
  pass: boolean
  reasons: GuardReason[]
}

function list(values: Iterable<string>): string {
  const items = [...values]
  return items.length === 0 ? 'none' : items.map((v) => `"${v}"`).join(', ')
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((v) => b.has(v))
}

/** A name on one side must be mentioned on the other (case-insensitively, as a word). */
function unmatchedEntities(from: QueryFacts, to: QueryFacts): string[] {
  return [...from.entities].filter((entity) => !to.tokens.has(entity))
}

/**
 * The cheap first check of stage 2: reject a candidate whose question pins down something
 * different (entities, numbers, dates, units, negation, comparatives, question type). It
 * errs towards rejecting: a needless miss costs one remote call, a false hit a wrong answer.
 */
export function checkGuard(query: string | QueryFacts, candidate: string | QueryFacts, lexicon?: EntityLexicon): GuardVerdict {
  const a = typeof query === 'string' ? extractQueryFacts(query, lexicon) : query
  const b = typeof candidate === 'string' ? extractQueryFacts(candidate, lexicon) : candidate
  const reasons: GuardReason[] = []

  const missing = [...unmatchedEntities(a, b), ...unmatchedEntities(b, a)]
  if (missing.length > 0) reasons.push({ kind: 'entity', detail: `entity ${list(new Set(missing))} not in both` })
  if (!sameSet(a.numbers, b.numbers)) reasons.push({ kind: 'number', detail: `number ${list(a.numbers)} vs ${list(b.numbers)}` })
  if (!sameSet(a.dates, b.dates)) reasons.push({ kind: 'date', detail: `date ${list(a.dates)} vs ${list(b.dates)}` })
  if (!sameSet(a.units, b.units)) reasons.push({ kind: 'unit', detail: `unit ${list(a.units)} vs ${list(b.units)}` })
  if (a.negated !== b.negated) {
    reasons.push({ kind: 'negation', detail: `negation ${a.negated ? 'in the query' : 'in the candidate'} only` })
  }
  if (!sameSet(a.polar, b.polar)) {
    reasons.push({ kind: 'comparative', detail: `comparative ${list(a.polar)} vs ${list(b.polar)}` })
  }
  if (a.questionType !== 'open' && b.questionType !== 'open' && a.questionType !== b.questionType) {
    reasons.push({ kind: 'question-type', detail: `question type ${a.questionType} vs ${b.questionType}` })
  }
  return { pass: reasons.length === 0, reasons }
}
