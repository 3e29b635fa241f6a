import { AsteriaError } from '../errors.js'
import { normalizeQuery } from '../normalize.js'
import type { NewElement } from '../ports/cache-store.js'
import { MAX_RESULT_BYTES } from '../query-limits.js'
import { scopeKey, type Scope } from '../scope.js'
import { resultSizeBytes, type ElementInput, type SemanticElement } from '../semantic-element.js'
import { DEFAULT_TTL_BY_STATICITY_MS, scoreStaticity, staticityToTtl } from '../staticity.js'
import type { CacheContext } from './cache-context.js'
import type { CacheOptions } from './cache-options.js'

export function isSideEffectTool(options: Pick<CacheOptions, 'sideEffectTools'>, tool: string): boolean {
  return (options.sideEffectTools ?? []).includes(tool)
}

/**
 * The element a store writes for a question and its result: refused for a tool with side effects
 * or an oversized result; expiry follows from its staticity and is fixed now.
 */
export async function newElement(
  ctx: Pick<CacheContext, 'clock' | 'embedder'>,
  options: CacheOptions,
  scope: Scope,
  query: string,
  input: ElementInput,
  origin: SemanticElement['origin'],
): Promise<NewElement> {
  if (isSideEffectTool(options, scope.tool)) {
    throw new AsteriaError('BAD_INPUT', `The tool "${scope.tool}" is declared with side effects; its results are never cached.`, {
      suggestions: ['Remove it from `sideEffectTools` in the configuration if its results are safe to reuse.'],
    })
  }
  const size = resultSizeBytes(input.result)
  if (size > MAX_RESULT_BYTES) {
    throw new AsteriaError('BAD_INPUT', `Expected a result of at most ${MAX_RESULT_BYTES} bytes, received ${size} bytes; it was not stored.`, {
      suggestions: ['Store the passages an agent needs, not whole documents.'],
    })
  }
  const now = ctx.clock.now()
  const staticity = input.staticity ?? (await (options.staticityScorer ?? scoreStaticity)(query, scope.tool))
  const ttl = input.ttlMs ?? staticityToTtl(staticity, options.ttlByStaticity ?? DEFAULT_TTL_BY_STATICITY_MS)
  return {
    query,
    normalizedQuery: normalizeQuery(query),
    namespace: scope.namespace,
    tool: scope.tool,
    args: scope.args,
    scopeKey: scopeKey(scope),
    source: scope.source ?? '',
    embedder: ctx.embedder.fingerprint,
    result: input.result,
    latencyMs: input.latencyMs ?? 0,
    costUsd: input.costUsd ?? 0,
    staticity,
    frequency: 0,
    sizeBytes: resultSizeBytes(input.result),
    createdAt: now,
    lastAccessAt: now,
    expiresAt: now + ttl,
    origin,
  }
}
