import type { Repair } from './repair.js'
import type { MatchKind } from './word-match.js'

export type GuardReasonKind =
  | 'content' | 'entity' | 'code' | 'antonym' | 'number' | 'date' | 'unit' | 'negation' | 'comparative' | 'question-type' | 'role'

export interface GuardReason {
  kind: GuardReasonKind
  /** e.g. `"penicillin" (query) has no counterpart in the candidate` — shown in the decision record. */
  detail: string
}

/** How one content word of a question was matched in the other. */
export interface WordAlignment {
  query: string
  candidate: string
  kind: MatchKind
}

export interface GuardVerdict {
  pass: boolean
  reasons: GuardReason[]
  /** The content words matched across the two questions, and how. */
  alignment?: WordAlignment[]
  /** Self-corrections removed before comparing ("empire, sorry, name" -> "name"). */
  repairs?: { query: Repair[]; candidate: Repair[] }
}

export type Side = 'query' | 'candidate'

export const quoted = (values: Iterable<string>) => {
  const items = [...values]
  return items.length === 0 ? 'none' : items.map((v) => `"${v}"`).join(', ')
}
