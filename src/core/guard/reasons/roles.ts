import type { ContentWord, QuestionAnalysis, Relation } from '../question.js'
import type { GuardReason } from '../verdict.js'

const REACH = 4

/** The lemmas of the content words within reach on one side of a relation, not past another relation. */
function side(words: readonly ContentWord[], relations: readonly Relation[], at: Relation, step: 1 | -1): Set<string> {
  const others = relations.filter((r) => r !== at).map((r) => r.position)
  const limit = step === -1 ? Math.max(at.position - REACH - 1, ...others.filter((p) => p < at.position)) : Math.min(at.position + REACH + 1, ...others.filter((p) => p > at.position))
  return new Set(
    words
      .filter((w) => (step === -1 ? w.position > limit && w.position < at.position : w.position > at.position && w.position < limit))
      .flatMap((w) => [w.lemma, ...w.parts]),
  )
}

const meets = (x: Set<string>, y: Set<string>) => [...x].find((w) => y.has(w))

/** Two questions whose words stand on opposite sides of the same directed relation ("string to list" vs "list to string"). */
export function roleReasons(a: QuestionAnalysis, b: QuestionAnalysis): GuardReason[] {
  for (const r of a.relations) {
    for (const s of b.relations.filter((x) => x.word === r.word)) {
      const left = meets(side(a.words, a.relations, r, -1), side(b.words, b.relations, s, 1))
      const right = meets(side(a.words, a.relations, r, 1), side(b.words, b.relations, s, -1))
      if (left && right) return [{ kind: 'role', detail: `roles swapped: "${left} ${r.word} ${right}" vs "${right} ${r.word} ${left}"` }]
    }
  }
  return []
}

/**
 * Two names in the opposite order around the same words ("the Jiul is a tributary of the Jidanul"
 * vs "the Jidanul is a tributary of the Jiul"): who does what to whom changed. Names side by side
 * ("between Paris and London") may come in any order: a content word must stand between them in
 * both questions.
 */
export function nameOrderReasons(a: QuestionAnalysis, b: QuestionAnalysis): GuardReason[] {
  const firstAt = (q: QuestionAnalysis) => {
    const at = new Map<string, number>()
    for (const w of q.words) if (w.kind === 'name' && !at.has(w.lemma)) at.set(w.lemma, w.position)
    return at
  }
  const between = (q: QuestionAnalysis, x: number, y: number) => q.words.some((w) => w.kind !== 'name' && w.position > Math.min(x, y) && w.position < Math.max(x, y))
  const inA = firstAt(a)
  const inB = firstAt(b)
  const shared = [...inA.keys()].filter((n) => inB.has(n))
  for (const p of shared) {
    for (const q of shared) {
      if (inA.get(p)! < inA.get(q)! && inB.get(p)! > inB.get(q)! && between(a, inA.get(p)!, inA.get(q)!) && between(b, inB.get(p)!, inB.get(q)!)) {
        return [{ kind: 'role', detail: `names swapped: "${p} ... ${q}" vs "${q} ... ${p}"` }]
      }
    }
  }
  return []
}
