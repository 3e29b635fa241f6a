/** One scored pair: a similarity (higher = more alike) and whether the pair is truly equivalent. */
export interface ScoredLabel {
  score: number
  positive: boolean
}

/**
 * ROC-AUC: the probability that a random positive scores above a random negative, ties
 * counting one half (the Mann–Whitney U statistic with mid-ranks). NaN when a class is empty.
 */
export function rocAuc(items: readonly ScoredLabel[]): number {
  const sorted = [...items].sort((x, y) => x.score - y.score)
  let positives = 0
  let positiveRankSum = 0
  for (let i = 0; i < sorted.length; ) {
    let j = i
    while (j < sorted.length && sorted[j].score === sorted[i].score) j++
    const midRank = (i + 1 + j) / 2
    for (let k = i; k < j; k++) {
      if (sorted[k].positive) {
        positives++
        positiveRankSum += midRank
      }
    }
    i = j
  }
  const negatives = sorted.length - positives
  if (positives === 0 || negatives === 0) return Number.NaN
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives)
}

export interface RecallAtPrecision {
  /** Share of positives at or above the threshold (0 when no threshold reaches the precision). */
  recall: number
  /** Precision at that threshold (NaN when none qualifies). */
  precision: number
  /** The lowest score accepted (Infinity when no threshold qualifies). */
  threshold: number
}

/**
 * The highest recall among thresholds "score >= t" whose precision is at least `minPrecision`.
 * Thresholds are only placed between distinct scores, so tied items are accepted together.
 */
export function recallAtPrecision(items: readonly ScoredLabel[], minPrecision: number): RecallAtPrecision {
  const sorted = [...items].sort((x, y) => y.score - x.score)
  const totalPositives = sorted.reduce((n, item) => n + (item.positive ? 1 : 0), 0)
  let best: RecallAtPrecision = { recall: 0, precision: Number.NaN, threshold: Number.POSITIVE_INFINITY }
  if (totalPositives === 0) return best
  let truePositives = 0
  for (let i = 0; i < sorted.length; ) {
    let j = i
    while (j < sorted.length && sorted[j].score === sorted[i].score) {
      if (sorted[j].positive) truePositives++
      j++
    }
    const precision = truePositives / j
    const recall = truePositives / totalPositives
    if (precision >= minPrecision && recall > best.recall) best = { recall, precision, threshold: sorted[i].score }
    i = j
  }
  return best
}
