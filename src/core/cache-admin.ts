import type { ElementFilter, NearestCandidate, StoreSummary } from './cache-store.js'
import type { Thresholds } from './decision.js'
import { AsteriaError } from './errors.js'
import type { SemanticCache } from './semantic-cache.js'
import type { SemanticElement } from './semantic-element.js'

export interface ElementDetail {
  element: SemanticElement
  /** Nearest other elements in the same scope, by cosine similarity. */
  neighbours: NearestCandidate[]
}

export async function inspectElement(cache: SemanticCache, id: number, k = 5): Promise<ElementDetail> {
  const element = await requireElement(cache, id)
  const embedding = await cache.storage.getEmbedding(id)
  const found = embedding
    ? await cache.storage.nearest(element.embedder, element.scopeKey, embedding, k + 1, -Infinity)
    : []
  return { element, neighbours: found.filter((n) => n.element.id !== id).slice(0, k) }
}

export async function requireElement(cache: SemanticCache, id: number): Promise<SemanticElement> {
  const element = await cache.storage.get(id)
  if (!element) {
    throw new AsteriaError('NOT_FOUND', `No element with id ${id} in ${cache.storage.location}.`, {
      suggestions: ['List the stored elements and their ids with `asteria cache inspect`.'],
    })
  }
  return element
}

export function listElements(cache: SemanticCache, filter: Omit<ElementFilter, 'now'>): Promise<SemanticElement[]> {
  return cache.storage.list({ ...filter, now: cache.clock.now() })
}

export interface CacheStats {
  location: string
  namespace: string | null
  summary: StoreSummary
  requests: number
  hits: { exact: number; semantic: number; total: number }
  misses: number
  coalesced: number
  bypassed: number
  hitRate: number | null
  remoteCalls: number
  costSpentUsd: number
  costSavedUsd: number
  latencySavedMs: number
  policy: string
  embedder: string
  thresholds: Thresholds
}

export async function cacheStats(cache: SemanticCache, namespace?: string): Promise<CacheStats> {
  const c = await cache.storage.counters(namespace)
  const get = (name: string) => c[name] ?? 0
  const requests = get('requests')
  const hits = get('hits_exact') + get('hits_semantic')
  return {
    location: cache.storage.location,
    namespace: namespace ?? null,
    summary: await cache.storage.summary(cache.clock.now(), namespace),
    requests,
    hits: { exact: get('hits_exact'), semantic: get('hits_semantic'), total: hits },
    misses: get('misses'),
    coalesced: get('coalesced'),
    bypassed: get('bypassed'),
    hitRate: requests === 0 ? null : hits / requests,
    remoteCalls: get('remote_calls'),
    costSpentUsd: get('cost_spent_usd'),
    costSavedUsd: get('cost_saved_usd'),
    latencySavedMs: get('latency_saved_ms'),
    policy: cache.policy.name,
    embedder: cache.embedder.fingerprint,
    thresholds: await cache.thresholds(),
  }
}
