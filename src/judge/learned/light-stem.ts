/**
 * A deliberately light suffix stripper so that "peels", "peeling" and "peeled" match "peel"
 * and "delivered" matches "delivery"; unlike GloVe neighbours it never joins different words
 * such as "buy" and "sell".
 */
export function lightStem(token: string): string {
  let t = token
  if (t.length <= 3 || /\d/.test(t)) return t
  if (t.endsWith("'s") || t.endsWith('’s')) t = t.slice(0, -2)
  if (t.endsWith('ies') && t.length > 4) t = t.slice(0, -3) + 'y'
  else if (t.endsWith('sses')) t = t.slice(0, -2)
  else if (t.endsWith('s') && !t.endsWith('ss') && !t.endsWith('us') && !t.endsWith('is')) t = t.slice(0, -1)
  for (const suffix of ['ingly', 'edly', 'ing', 'ed', 'ly']) {
    if (t.endsWith(suffix) && t.length - suffix.length >= 3) {
      t = t.slice(0, -suffix.length)
      break
    }
  }
  if (t.endsWith('y') && t.length > 3) t = t.slice(0, -1) + 'i'
  if (t.endsWith('e') && t.length > 3) t = t.slice(0, -1)
  // "stopped" -> "stopp" -> "stop"
  if (t.length > 3 && t[t.length - 1] === t[t.length - 2] && !'lsz'.includes(t[t.length - 1])) t = t.slice(0, -1)
  return t
}
