import { OPPOSITE_PARTICLES } from '../lexicon.js'
import type { QuestionAnalysis } from '../question.js'
import { quoted, type GuardReason } from '../verdict.js'
import type { WordMatch } from '../word-match.js'

/**
 * A word negated on one side only ("which birds can fly" / "cannot fly"), or graded differently
 * ("largest" / "large", "more" / "less"), or a particle turned around ("turn up" / "turn down"):
 * the same words asking the opposite.
 */
export function polarityReasons(a: QuestionAnalysis, b: QuestionAnalysis, matches: WordMatch[]): GuardReason[] {
  const reasons: GuardReason[] = []
  // Where a negation's scope ends is wink's guess ("not yet received my card" / "not received a card yet"):
  // only a question negated against one that is not counts.
  const negated = a.negated === b.negated ? [] : matches.filter((m) => m.word.negated !== m.other.negated)
  if (negated.length > 0) {
    const where = negated[0].word.negated ? 'in the query only' : 'in the candidate only'
    reasons.push({ kind: 'negation', detail: `negation of ${quoted(negated.map((m) => m.word.text))} ${where}` })
  }
  const graded = matches.filter((m) => m.word.graded !== m.other.graded)
  const degreesDiffer = a.degrees.size !== b.degrees.size || [...a.degrees].some((d) => !b.degrees.has(d))
  if (graded.length > 0 || degreesDiffer) {
    const words = graded.length > 0 ? `"${graded[0].word.text}" vs "${graded[0].other.text}"` : `${quoted(a.degrees)} vs ${quoted(b.degrees)}`
    reasons.push({ kind: 'comparative', detail: `comparative ${words}` })
  }
  const flipped = [...a.particles].find((p) => !b.particles.has(p) && b.particles.has(OPPOSITE_PARTICLES[p]))
  if (flipped) reasons.push({ kind: 'antonym', detail: `"${flipped}" (query) and "${OPPOSITE_PARTICLES[flipped]}" (candidate) are opposites` })
  return reasons
}
