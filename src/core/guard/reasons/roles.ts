/**
 * Relation words whose two sides are not interchangeable: "convert a string to a list" asks the
 * opposite of "convert a list to a string". Symmetric ones ("vs", "and", "between") are left out,
 * and so are "in"/"of"/"for", whose sides move freely in paraphrases ("in Python, how do I…"), and
 * "than", whose left neighbour is the comparative, not the thing compared.
 */
const RELATIONS = new Set(['to', 'into', 'onto', 'from', 'before', 'after'])
/** Relation words that mean the same direction. */
const SAME_AS: Record<string, string> = { into: 'to', onto: 'to' }
const DETERMINERS = new Set(['a', 'an', 'the', 'my', 'your', 'our', 'their', 'its', 'his', 'her', 'this', 'that', 'these', 'those', 'some', 'any', 'each', 'every'])
const NOT_A_ROLE = new Set([...RELATIONS, 'how', 'what', 'which', 'who', 'when', 'where', 'why', 'is', 'are', 'was', 'were', 'be', 'do', 'does', 'did', 'i', 'you', 'we', 'it', 'and', 'or', 'go', 'get'])

/** The nearest word from `start` in direction `step`, past determiners; undefined when it cannot fill a role. */
function neighbour(words: readonly string[], start: number, step: 1 | -1): string | undefined {
  for (let i = start; i >= 0 && i < words.length; i += step) {
    if (DETERMINERS.has(words[i])) continue
    return NOT_A_ROLE.has(words[i]) || !/^\p{L}/u.test(words[i]) ? undefined : words[i]
  }
  return undefined
}

/** The (left, right) words around each relation word of a question. */
function roles(words: readonly string[]): { relation: string; left: string; right: string }[] {
  return words.flatMap((relation, i) => {
    if (!RELATIONS.has(relation)) return []
    const left = neighbour(words, i - 1, -1)
    const right = neighbour(words, i + 1, 1)
    return left && right && left !== right ? [{ relation: SAME_AS[relation] ?? relation, left, right }] : []
  })
}

/**
 * Two words standing on either side of the same relation in both questions, in opposite order
 * ("string to list" vs "list to string"), or undefined. Works on stems in word order.
 */
export function swappedRoles(a: readonly string[], b: readonly string[]): { relation: string; left: string; right: string } | undefined {
  const theirs = roles(b)
  return roles(a).find((r) => theirs.some((t) => t.relation === r.relation && t.left === r.right && t.right === r.left))
}

/** Two questions whose words stand on opposite sides of a directed relation ("string to list" vs "list to string"). */
export function roleReasons(a: { sequence: string[] }, b: { sequence: string[] }): { kind: 'role'; detail: string }[] {
  const swap = swappedRoles(a.sequence, b.sequence)
  return swap ? [{ kind: 'role', detail: `roles swapped: "${swap.left} ${swap.relation} ${swap.right}" vs "${swap.right} ${swap.relation} ${swap.left}"` }] : []
}
