import type { NewElement } from '../ports/cache-store.js'
import { scopeKey } from '../scope.js'
import { contextOf, type CacheLike } from '../cache/cache-context.js'

export interface ReembedReport {
  /** Elements moved to the current embedder, by the fingerprint they came from. */
  moved: Record<string, number>
  embedder: string
}

/**
 * Moves every element stored under another embedder to the cache's current one: new vectors,
 * new scope keys (the embedder is part of the scope), same results and expiry. Copies are
 * written before the originals are deleted, so an interruption loses nothing.
 */
export async function reembedElements(handle: CacheLike, batchSize = 256): Promise<ReembedReport> {
  const cache = contextOf(handle)
  const current = cache.embedder.fingerprint
  await cache.ready()
  const stale = (await cache.store.all()).filter((e) => e.embedder !== current)
  const moved: Record<string, number> = {}
  for (let i = 0; i < stale.length; i += batchSize) {
    const batch = stale.slice(i, i + batchSize)
    const vectors = await cache.embedder.embed(batch.map((e) => e.query))
    await cache.store.insert(
      batch.map((old, j) => {
        const { id: _id, embedding: _embedding, ...rest } = old
        const element: NewElement = {
          ...rest,
          embedder: current,
          scopeKey: scopeKey({ namespace: old.namespace, tool: old.tool, args: old.args, source: old.source, embedder: current }),
        }
        return { element, embedding: vectors[j] }
      }),
    )
    await cache.store.delete(batch.map((e) => e.id))
    for (const e of batch) moved[e.embedder] = (moved[e.embedder] ?? 0) + 1
  }
  return { moved, embedder: current }
}

/**
 * Says so when the cache holds elements of other embedders only: they can never answer the
 * current one's look-ups (vectors are never mixed), which looks like a cache that forgot.
 */
export async function embedderChangeNotice(handle: CacheLike): Promise<string | undefined> {
  const cache = contextOf(handle)
  const { embedders } = await cache.store.summary(cache.clock.now())
  const current = embedders.find((e) => e.fingerprint === cache.embedder.fingerprint)?.elements ?? 0
  const others = embedders.filter((e) => e.fingerprint !== cache.embedder.fingerprint && e.elements > 0)
  if (others.length === 0 || current > 0) return undefined
  const held = others.map((e) => `${e.elements} by ${e.fingerprint}`).join(', ')
  return `This cache holds elements embedded by another embedder (${held}); they cannot answer look-ups embedded by ${cache.embedder.fingerprint}. Run \`asteria cache reembed\` to move them, or use another --db.`
}
