import type { NewElement } from '../ports/cache-store.js'
import { AsteriaError } from '../errors.js'
import { normalizeQuery } from '../normalize.js'
import { validateQuery } from '../query-limits.js'
import { scopeKey } from '../scope.js'
import { contextOf, type CacheContext, type CacheLike } from '../cache/cache-context.js'
import { resultSizeBytes, type SemanticElement } from '../semantic-element.js'

/**
 * The export/import line format (JSON Lines, one element per line). Vectors are not exported:
 * import re-embeds with the importing cache's embedder, so a file moves across embedders.
 */
export interface ElementLine {
  query: string
  namespace: string
  tool: string
  args: Record<string, unknown>
  /** The knowledge source the result came from; a line without one (or with "") is imported as the importing cache's source for its tool. */
  source?: string
  result: unknown
  latencyMs: number
  costUsd: number
  staticity: number
  frequency: number
  createdAt: number
  expiresAt: number
}

export function toElementLine(e: SemanticElement): ElementLine {
  return {
    query: e.query, namespace: e.namespace, tool: e.tool, args: e.args, ...(e.source ? { source: e.source } : {}), result: e.result, latencyMs: e.latencyMs,
    costUsd: e.costUsd, staticity: e.staticity, frequency: e.frequency, createdAt: e.createdAt, expiresAt: e.expiresAt,
  }
}

function lineError(lineNumber: number, message: string): AsteriaError {
  return new AsteriaError('IMPORT', `Line ${lineNumber}: ${message}. Nothing was imported.`, {
    suggestions: ['Fix that line (each line is one JSON object as written by `asteria cache export`) and import again.'],
  })
}

/** Parses and checks every line before anything is written. */
export function parseElementLines(text: string): { line: number; element: ElementLine }[] {
  const parsed: { line: number; element: ElementLine }[] = []
  text.split('\n').forEach((raw, index) => {
    const line = index + 1
    if (raw.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch (error) {
      throw lineError(line, `expected a JSON object, received invalid JSON (${(error as Error).message})`)
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw lineError(line, 'expected a JSON object')
    const v = value as Record<string, unknown>
    const isNum = (key: string) => typeof v[key] === 'number' && Number.isFinite(v[key])
    if (typeof v.query !== 'string') throw lineError(line, 'expected "query" to be a string')
    try {
      validateQuery(v.query)
    } catch (error) {
      throw lineError(line, (error as Error).message.replace(/\.$/, ''))
    }
    if (v.result === undefined) throw lineError(line, 'expected a "result"')
    for (const key of ['latencyMs', 'costUsd', 'createdAt', 'expiresAt']) {
      if (v[key] !== undefined && !isNum(key)) throw lineError(line, `expected "${key}" to be a number`)
    }
    if (v.staticity !== undefined && (!isNum('staticity') || (v.staticity as number) < 1 || (v.staticity as number) > 10)) {
      throw lineError(line, 'expected "staticity" to be a number from 1 to 10')
    }
    if (v.source !== undefined && typeof v.source !== 'string') throw lineError(line, 'expected "source" to be a string')
    if (v.namespace !== undefined && (typeof v.namespace !== 'string' || v.namespace.trim() === '')) throw lineError(line, 'expected "namespace" to be a non-empty string')
    if (v.tool !== undefined && (typeof v.tool !== 'string' || v.tool.trim() === '')) throw lineError(line, 'expected "tool" to be a non-empty string')
    if (v.args !== undefined && (typeof v.args !== 'object' || v.args === null || Array.isArray(v.args))) {
      throw lineError(line, 'expected "args" to be an object')
    }
    parsed.push({
      line,
      element: {
        query: v.query,
        namespace: typeof v.namespace === 'string' ? v.namespace : 'default',
        tool: typeof v.tool === 'string' ? v.tool : 'search',
        args: (v.args as Record<string, unknown>) ?? {},
        ...(typeof v.source === 'string' && v.source !== '' ? { source: v.source } : {}),
        result: v.result,
        latencyMs: (v.latencyMs as number) ?? 0,
        costUsd: (v.costUsd as number) ?? 0,
        staticity: (v.staticity as number) ?? 7,
        frequency: (v.frequency as number) ?? 0,
        createdAt: (v.createdAt as number) ?? Date.now(),
        expiresAt: (v.expiresAt as number) ?? Date.now() + 30 * 86_400_000,
      },
    })
  })
  return parsed
}

export interface ImportReport {
  imported: number
  /** Lines whose question was already answered, unexpired, in the same scope (or earlier in the file). */
  skipped: number
}

/**
 * Imports validated lines in one transaction: all or nothing. A line whose question already has a
 * live answer in its scope is skipped, so importing one file twice stores it once.
 */
export async function importElements(handle: CacheLike, text: string): Promise<ImportReport> {
  const cache = contextOf(handle)
  const lines = parseElementLines(text)
  if (lines.length === 0) return { imported: 0, skipped: 0 }
  await cache.ready()
  const now = cache.clock.now()
  const seen = new Set<string>()
  const fresh: typeof lines = []
  for (const line of lines) {
    const e = line.element
    const key = scopeKey(sourcedScope(cache, e))
    const normalized = normalizeQuery(e.query)
    if (seen.has(`${key} ${normalized}`) || (await cache.store.findExact(key, normalized, now))) continue
    seen.add(`${key} ${normalized}`)
    fresh.push(line)
  }
  const skipped = lines.length - fresh.length
  if (fresh.length === 0) return { imported: 0, skipped }
  const vectors: Float32Array[] = []
  for (let i = 0; i < fresh.length; i += 256) {
    vectors.push(...(await cache.embedder.embed(fresh.slice(i, i + 256).map((l) => l.element.query))))
  }
  const items = fresh.map(({ element: e }, i) => {
    const scope = sourcedScope(cache, e)
    const element: NewElement = {
      ...e,
      source: scope.source ?? '',
      normalizedQuery: normalizeQuery(e.query),
      scopeKey: scopeKey(scope),
      embedder: cache.embedder.fingerprint,
      sizeBytes: resultSizeBytes(e.result),
      lastAccessAt: e.createdAt,
      origin: 'import',
    }
    return { element, embedding: vectors[i] }
  })
  return { imported: (await cache.store.insert(items)).length, skipped }
}

/** The scope a line is stored in: the importing cache's, under the line's own source when it names one. */
function sourcedScope(cache: CacheContext, e: ElementLine) {
  return { ...cache.scope({ namespace: e.namespace, tool: e.tool, args: e.args }), ...(e.source === undefined ? {} : { source: e.source }) }
}
