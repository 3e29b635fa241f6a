/** Word-order measures: bags of words cannot see PAWS's swaps ("flights from A to B" vs "from B to A"). */

export function jaccard<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  if (a.size === 0 && b.size === 0) return 1
  let shared = 0
  for (const x of a) if (b.has(x)) shared++
  return shared / (a.size + b.size - shared)
}

export function wordBigrams(tokens: readonly string[]): Set<string> {
  const grams = new Set<string>()
  for (let i = 0; i + 1 < tokens.length; i++) grams.add(`${tokens[i]} ${tokens[i + 1]}`)
  return grams
}

/** Length of the longest common subsequence of two token lists. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0)
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0)
    for (let j = 1; j <= b.length; j++) {
      row[j] = a[i - 1] === b[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], row[j - 1])
    }
    previous = row
  }
  return previous[b.length]
}

/**
 * Kendall-style agreement of the order of words both sides use exactly once: 1 when every such
 * pair of words comes in the same order on both sides, 0 when every pair is reversed.
 */
export function orderAgreement(a: readonly string[], b: readonly string[]): number {
  const once = (tokens: readonly string[]) => {
    const counts = new Map<string, number>()
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1)
    return counts
  }
  const ca = once(a)
  const cb = once(b)
  const positionInB = new Map<string, number>()
  b.forEach((t, i) => positionInB.set(t, i))
  const order = a.filter((t) => ca.get(t) === 1 && cb.get(t) === 1).map((t) => positionInB.get(t)!)
  let agree = 0
  let pairs = 0
  for (let i = 0; i < order.length; i++) {
    for (let j = i + 1; j < order.length; j++) {
      pairs++
      if (order[i] < order[j]) agree++
    }
  }
  return pairs === 0 ? 1 : agree / pairs
}
