/** The candidate a typo most likely meant: the nearest by edit distance (case aside), at most `maxEdits` away. */
export function didYouMean(typed: string, candidates: readonly string[], maxEdits = 2): string | undefined {
  const ranked = candidates.map((c) => ({ c, d: editDistance(typed.toLowerCase(), c.toLowerCase()) })).sort((x, y) => x.d - y.d)
  return ranked[0] && ranked[0].d <= maxEdits ? ranked[0].c : undefined
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1))
      diagonal = above
    }
  }
  return row[b.length]
}
