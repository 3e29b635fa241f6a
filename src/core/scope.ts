import { createHash } from 'node:crypto'

/**
 * What an element may answer: the same namespace, tool, non-query tool arguments, knowledge
 * source and embedder. The scope key partitions the vector index, so a look-up never even sees
 * an element of another scope: cross-scope hits are impossible by construction.
 */
export interface Scope {
  namespace: string
  tool: string
  /** The tool's arguments other than the query (region, recency, library version...). */
  args: Record<string, unknown>
  /**
   * The knowledge source that answers the tool (e.g. "tavily", "wikipedia en.wikipedia.org"):
   * switching sources must not serve the previous one's answers. '' or absent when the caller
   * names none (a library user with its own loader); such keys are those of earlier versions.
   */
  source?: string
  /** Fingerprint of the embedder whose vectors the element carries. */
  embedder: string
}

/** JSON with object keys sorted, so {a,b} and {b,a} are the same arguments. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    )
  }
  return value
}

export function scopeKey(scope: Scope): string {
  const parts: unknown[] = [scope.namespace, scope.tool, scope.args, scope.embedder]
  if (scope.source) parts.push(scope.source)
  const text = canonicalJson(parts)
  return createHash('sha256').update(text).digest('hex').slice(0, 32)
}
