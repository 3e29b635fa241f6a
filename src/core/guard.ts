import { extractQueryFacts, stem, type EntityLexicon, type FactKind, type QueryFacts } from './query-facts.js'
import { swappedRoles } from './swapped-roles.js'

export type GuardReasonKind = 'entity' | 'number' | 'date' | 'unit' | 'negation' | 'comparative' | 'question-type' | 'role'

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

/** Values one side requires (not taken back in a self-correction) that the other side lacks. */
function unmatched(kind: FactKind, from: QueryFacts, fromValues: Set<string>, toValues: Set<string>): string[] {
  return [...fromValues].filter((v) => !toValues.has(v) && !from.retracted.has(`${kind}:${v}`))
}

function differs(kind: FactKind, a: QueryFacts, b: QueryFacts, pick: (f: QueryFacts) => Set<string>): boolean {
  return unmatched(kind, a, pick(a), pick(b)).length > 0 || unmatched(kind, b, pick(b), pick(a)).length > 0
}

/** A name on one side must be mentioned on the other (case-insensitively, as a word, plural or not). */
function unmatchedEntities(from: QueryFacts, to: QueryFacts): string[] {
  return [...from.entities].filter((e) => !to.tokens.has(e) && !to.stems.has(stem(e)) && !from.retracted.has(`entity:${e}`))
}

/** A word negated on one side only, while the other side says it plainly ("cannot fly" vs "can fly"). */
function oneSidedNegation(from: QueryFacts, to: QueryFacts): string[] {
  return [...from.negatedWords].filter((w) => !to.negatedWords.has(w) && to.stems.has(w))
}

/** Generic words ("more", "top", "before") only count when both sides use one; dimensions ("largest") always do. */
const dimensional = (f: QueryFacts) => new Set([...f.polar].filter((p) => p.includes('-')))
const generic = (f: QueryFacts) => new Set([...f.polar].filter((p) => !p.includes('-')))

/**
 * The cheap first check of stage 2: reject a candidate whose question pins down something
 * different (entities, numbers, dates, units, negation, comparatives, question type, swapped
 * roles around a relation word such as "to" or "than"). It
 * errs towards rejecting: a needless miss costs one remote call, a false hit a wrong answer.
 * Measured as a rejector of non-equivalent pairs by `npm run bench:guard`.
 */
export function checkGuard(query: string | QueryFacts, candidate: string | QueryFacts, lexicon?: EntityLexicon): GuardVerdict {
  const a = typeof query === 'string' ? extractQueryFacts(query, lexicon) : query
  const b = typeof candidate === 'string' ? extractQueryFacts(candidate, lexicon) : candidate
  const reasons: GuardReason[] = []

  const missing = [...unmatchedEntities(a, b), ...unmatchedEntities(b, a)]
  if (missing.length > 0) reasons.push({ kind: 'entity', detail: `entity ${list(new Set(missing))} not in both` })
  if (differs('number', a, b, (f) => f.numbers)) reasons.push({ kind: 'number', detail: `number ${list(a.numbers)} vs ${list(b.numbers)}` })
  if (differs('date', a, b, (f) => f.dates)) reasons.push({ kind: 'date', detail: `date ${list(a.dates)} vs ${list(b.dates)}` })
  if (differs('unit', a, b, (f) => f.units)) reasons.push({ kind: 'unit', detail: `unit ${list(a.units)} vs ${list(b.units)}` })
  const negatedInQuery = oneSidedNegation(a, b)
  const negatedInCandidate = oneSidedNegation(b, a)
  if (negatedInQuery.length > 0 || negatedInCandidate.length > 0) {
    const where = negatedInQuery.length > 0 ? 'in the query only' : 'in the candidate only'
    reasons.push({ kind: 'negation', detail: `negation of ${list([...negatedInQuery, ...negatedInCandidate])} ${where}` })
  }
  const genericA = generic(a)
  const genericB = generic(b)
  const genericDiffers = genericA.size > 0 && genericB.size > 0 && differs('polar', a, b, generic)
  if (differs('polar', a, b, dimensional) || genericDiffers) {
    reasons.push({ kind: 'comparative', detail: `comparative ${list(a.polar)} vs ${list(b.polar)}` })
  }
  if (a.questionType !== 'open' && b.questionType !== 'open' && a.questionType !== b.questionType) {
    reasons.push({ kind: 'question-type', detail: `question type ${a.questionType} vs ${b.questionType}` })
  }
  const swap = swappedRoles(a.sequence, b.sequence)
  if (swap) reasons.push({ kind: 'role', detail: `roles swapped: "${swap.left} ${swap.relation} ${swap.right}" vs "${swap.right} ${swap.relation} ${swap.left}"` })
  return { pass: reasons.length === 0, reasons }
}
