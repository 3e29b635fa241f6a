import { contextOf, type CacheLike } from '../cache/cache-context.js'
import { AsteriaError } from '../errors.js'
import type { ElementFilter, NearestCandidate } from '../ports/cache-store.js'
import type { SemanticElement } from '../semantic-element.js'

export interface ElementDetail {
  element: SemanticElement
  /** Nearest other elements in the same scope, by cosine similarity. */
  neighbours: NearestCandidate[]
}

export async function inspectElement(handle: CacheLike, id: number, k = 5): Promise<ElementDetail> {
  const cache = contextOf(handle)
  const element = await requireElement(cache, id)
  const embedding = await cache.store.getEmbedding(id)
  const found = embedding
    ? await cache.store.nearest(element.embedder, element.scopeKey, embedding, k + 1, -Infinity)
    : []
  return { element, neighbours: found.filter((n) => n.element.id !== id).slice(0, k) }
}

export async function requireElement(handle: CacheLike, id: number): Promise<SemanticElement> {
  const cache = contextOf(handle)
  const element = await cache.store.get(id)
  if (!element) {
    throw new AsteriaError('NOT_FOUND', `No element with id ${id} in ${cache.store.location}.`, {
      suggestions: ['List the stored elements and their ids with `asteria cache inspect`.'],
    })
  }
  return element
}

export function listElements(handle: CacheLike, filter: Omit<ElementFilter, 'now'>): Promise<SemanticElement[]> {
  const cache = contextOf(handle)
  return cache.store.list({ ...filter, now: cache.clock.now() })
}
