import type { EnglishToken } from './english.js'
import { FOCUS_NOUNS, HOW_QUANTITY } from './lexicon.js'

/** What kind of answer a question asks for; 'open' ("what is X", "tell me about X") asks for an account. */
export type FocusKind = 'person' | 'time' | 'place' | 'reason' | 'quantity' | 'manner' | 'open' | 'statement'

export interface QuestionFocus {
  kind: FocusKind
  /** The wh-word (and focus noun) as written, for the decision record. */
  phrase: string
  /** Token indexes that say the focus ("year" in "what year"): not content words. */
  words: Set<number>
}

const WH: Record<string, FocusKind> = { who: 'person', whom: 'person', whose: 'person', when: 'time', where: 'place', why: 'reason' }

/**
 * The focus of a question from its first wh-word: who / when / where / why / how many / how,
 * and "what year" or "which person", whose noun names the focus. Questions without one are open.
 * `positions` maps the tokens given to their indexes in the question (focus words are reported there).
 */
export function findFocus(tokens: EnglishToken[], positions: readonly number[] = tokens.map((_, i) => i)): QuestionFocus {
  for (let k = 0; k < tokens.length; k++) {
    const word = tokens[k].normal
    const next = tokens[k + 1]
    const at = (...indexes: number[]) => new Set(indexes.map((i) => positions[i]))
    if (WH[word]) return { kind: WH[word], phrase: tokens[k].text, words: at() }
    if (word === 'how') {
      if (next && HOW_QUANTITY.has(next.normal)) return { kind: 'quantity', phrase: `how ${next.text}`, words: at(k + 1) }
      return { kind: 'manner', phrase: 'how', words: at() }
    }
    if (word === 'what' || word === 'which') {
      const noun = next && FOCUS_NOUNS[next.lemma]
      if (noun) return { kind: noun, phrase: `${word} ${next.text}`, words: at(k + 1) }
      return headNounFocus(tokens, k + 1, at) ?? { kind: 'open', phrase: word, words: at() }
    }
  }
  const head = headNounFocus(tokens, 0, (...indexes) => new Set(indexes.map((i) => positions[i])))
  if (head) return head
  // "My card hasn't arrived", "Can I top up?": a statement or yes/no question says its need, not the kind of answer.
  const first = tokens.find((t) => t.pos !== 'PUNCT' && t.pos !== 'INTJ')
  return first && STATEMENT_OPENERS.has(first.normal) ? { kind: 'statement', phrase: '', words: new Set() } : { kind: 'open', phrase: '', words: new Set() }
}

const STATEMENT_OPENERS = new Set(['i', 'my', 'we', 'our', 'me', 'can', 'could', 'would', 'will', 'do', 'does', 'did', 'is', 'are', 'was', 'have', 'has', 'should', 'may', 'am'])

const LEAD = new Set(['is', 'are', 'was', 'were', 'be', 'the', 'a', 'an', 'me', 'give', 'tell', 'name', 'list', 'show', 'find'])

/**
 * "What is the date of ...", "give me the number of ...", "the way to ...": the first noun, when it
 * names a kind of answer and what follows says of what, is the focus ("the date of X's death" asks
 * when, "the way to learn French" how).
 */
function headNounFocus(tokens: EnglishToken[], from: number, at: (...indexes: number[]) => Set<number>): QuestionFocus | undefined {
  let k = from
  while (k < tokens.length && LEAD.has(tokens[k].normal)) k++
  const noun = tokens[k]
  const kind = noun && noun.pos === 'NOUN' && ['of', 'to'].includes(tokens[k + 1]?.normal ?? '') ? FOCUS_NOUNS[noun.lemma] : undefined
  return kind ? { kind, phrase: `the ${noun.text} ${tokens[k + 1].normal}`, words: at(k) } : undefined
}

/**
 * Two foci ask for different answers when they differ: "when" vs "where", and also "where is X" vs
 * "what is X" (an open question asks for an account, a specific one for one fact). On the train
 * halves this costs 1-3 points of recall on LC-QuAD and Disfl-QA and removes a quarter to a half
 * of the guard's false passes there; "what year" is "when" (FOCUS_NOUNS), so it still matches. A
 * statement or yes/no question ("my card hasn't arrived", "can I top up?") names no kind of answer
 * and agrees with any focus: its words decide.
 */
export function fociDiffer(a: QuestionFocus, b: QuestionFocus): boolean {
  return a.kind !== b.kind && a.kind !== 'statement' && b.kind !== 'statement'
}
