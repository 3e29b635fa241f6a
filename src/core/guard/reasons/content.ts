import type { ContentWord, QuestionAnalysis } from '../question.js'
import { quoted, type GuardReason, type Side, type WordAlignment } from '../verdict.js'
import { antonymIn, matchWord, sameWord, type MatchSettings, type WordMatch } from '../word-match.js'

const KIND = { name: 'entity', code: 'code', word: 'content', relation: 'content' } as const
const WHAT = { name: 'name', code: 'identifier', word: 'word', relation: 'word' } as const

/**
 * Every content word of each question must be said in the other: the same lemma, a WordNet
 * synonym or derivation, a compound's part, or a word-vector neighbour above a strict bound.
 * A word left over is something one question asks about and the other does not.
 */
export function contentReasons(a: QuestionAnalysis, b: QuestionAnalysis, settings: MatchSettings): { reasons: GuardReason[]; matches: WordMatch[] } {
  const reasons: GuardReason[] = []
  const matches: WordMatch[] = []
  const sides: [QuestionAnalysis, QuestionAnalysis, Side, Side][] = [[a, b, 'query', 'candidate'], [b, a, 'candidate', 'query']]
  const opposed = new Set<ContentWord>()
  for (const [from, to, side, other] of sides) {
    for (const word of from.words) {
      if (opposed.has(word)) continue
      const same = to.words.find((o) => sameWord(word, o))
      if (same) {
        if (side === 'query') matches.push({ word, other: same, kind: 'same' })
        continue
      }
      if (word.kind === 'word' && to.framing.includes(word.lemma)) continue // said there, as the frame of the request
      const opposite = antonymIn(word, to.words, settings)
      // Both questions saying both words ("what decreases with the increase of ...") oppose nothing.
      const bothSay = opposite && from.words.some((w) => w.lemma === opposite.lemma) && to.words.some((w) => w.lemma === word.lemma)
      if (opposite && !bothSay) {
        opposed.add(opposite)
        reasons.push({ kind: 'antonym', detail: `"${word.text}" (${side}) and "${opposite.text}" (${other}) are opposites (WordNet)` })
        continue
      }
      const match = matchWord(word, to.words, settings)
      if (match) {
        if (side === 'query') matches.push(match)
        continue
      }
      reasons.push({ kind: KIND[word.kind], detail: `${WHAT[word.kind]} "${word.text}" (${side}) has no counterpart in the ${other}` })
    }
  }
  return { reasons: dedupe(reasons), matches }
}

function dedupe(reasons: GuardReason[]): GuardReason[] {
  const seen = new Set<string>()
  return reasons.filter((r) => !seen.has(r.detail) && seen.add(r.detail))
}

export function alignmentOf(matches: WordMatch[]): WordAlignment[] {
  return matches.map((m) => ({ query: m.word.text, candidate: m.other.text, kind: m.kind }))
}

export { quoted }
