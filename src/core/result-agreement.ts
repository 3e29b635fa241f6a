import { canonicalJson } from './scope.js'

/** Default share of documents two results must have in common (Jaccard) to count as the same answer. */
export const DEFAULT_MIN_OVERLAP = 0.5

/** The ids (or URLs) of the documents a source returned, when it returned a `documents` list. */
export function documentKeys(result: unknown): Set<string> | null {
  const documents = (result as { documents?: unknown } | null)?.documents
  if (!Array.isArray(documents)) return null
  const keys = documents.map((d) => {
    const doc = d as { id?: unknown; url?: unknown }
    return typeof doc.id === 'string' || typeof doc.id === 'number' ? String(doc.id) : typeof doc.url === 'string' ? doc.url : canonicalJson(d)
  })
  return new Set(keys)
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1
  let shared = 0
  for (const key of a) if (b.has(key)) shared++
  return shared / (a.size + b.size - shared)
}

/**
 * Did a served result answer the request as well as a fresh call does? Document lists are
 * compared by the overlap of their ids/URLs; other payloads must be equal.
 */
export function resultsAgree(served: unknown, fresh: unknown, minOverlap = DEFAULT_MIN_OVERLAP): boolean {
  const a = documentKeys(served)
  const b = documentKeys(fresh)
  if (a && b) return jaccard(a, b) >= minOverlap
  return canonicalJson(served) === canonicalJson(fresh)
}
