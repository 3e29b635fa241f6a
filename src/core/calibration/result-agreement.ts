import { canonicalJson } from '../scope.js'

/**
 * Default share of the shorter document list the two results must have in common (the overlap
 * coefficient) to count as the same answer: one passage in three. Two right answers to paraphrases
 * differ in order and extras, so a verification counts a hit wrong only when the fresh result
 * shares (almost) nothing with what was served.
 */
export const DEFAULT_MIN_OVERLAP = 1 / 3

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

/** Shared documents as a share of the shorter list (1 when both are empty). */
export function overlapCoefficient(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return a.size === b.size ? 1 : 0
  let shared = 0
  for (const key of a) if (b.has(key)) shared++
  return shared / Math.min(a.size, b.size)
}

/**
 * Did a served result answer the request as well as a fresh call does? Document lists are
 * compared by the overlap of their ids/URLs; other payloads must be equal.
 */
export function resultsAgree(served: unknown, fresh: unknown, minOverlap = DEFAULT_MIN_OVERLAP): boolean {
  const a = documentKeys(served)
  const b = documentKeys(fresh)
  if (a && b) return overlapCoefficient(a, b) >= minOverlap - 1e-9
  return canonicalJson(served) === canonicalJson(fresh)
}
