export interface SetScoredLabel {
  score: number
  positive: boolean
  set: string
}

export interface SetBalancedOperatingPoint {
  /** The lowest score accepted (Infinity when no threshold reaches the precision). */
  threshold: number
  /** Set-balanced precision and recall there (NaN and 0 when none qualifies). */
  precision: number
  recall: number
}

/**
 * The highest-recall threshold "score >= t" whose set-balanced precision reaches `minPrecision`.
 * Every set weighs the same in total (each pair 1 / its set's size), as in training, so the
 * biggest set does not decide the operating point alone, and a set of negatives only (mined hard
 * negatives) counts as a domain whose every acceptance is a false hit. Recall is weighted alike.
 */
export function setBalancedThreshold(items: readonly SetScoredLabel[], minPrecision: number): SetBalancedOperatingPoint {
  const size = new Map<string, number>()
  for (const item of items) size.set(item.set, (size.get(item.set) ?? 0) + 1)
  const weight = (item: SetScoredLabel) => 1 / size.get(item.set)!
  const sorted = [...items].sort((x, y) => y.score - x.score)
  const totalPositive = sorted.reduce((s, item) => s + (item.positive ? weight(item) : 0), 0)
  let best: SetBalancedOperatingPoint = { threshold: Number.POSITIVE_INFINITY, precision: Number.NaN, recall: 0 }
  if (totalPositive === 0) return best
  let truePositive = 0
  let accepted = 0
  for (let i = 0; i < sorted.length; ) {
    let j = i
    while (j < sorted.length && sorted[j].score === sorted[i].score) {
      const w = weight(sorted[j])
      accepted += w
      if (sorted[j].positive) truePositive += w
      j++
    }
    const precision = truePositive / accepted
    const recall = truePositive / totalPositive
    if (precision >= minPrecision && recall > best.recall) best = { threshold: sorted[i].score, precision, recall }
    i = j
  }
  return best
}
