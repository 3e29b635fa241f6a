import type { NewElement } from '../../src/core/ports/cache-store.js'
import type { VectorIndexOptions } from '../../src/store/sqlite/vector-index/vector-index-options.js'
import { openStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js'

export const BENCH_EMBEDDER = 'bench-vectors'
export const BENCH_SCOPE = 'bench-scope'

/** The cache's own store as bench:index measures it: elements in one scope, looked up by vector (embedding excluded). */
export interface CacheLayout {
  readonly name: string
  readonly store: SqliteStore
  add(items: readonly { id: number; vector: Float32Array }[]): Promise<void>
  nearest(query: Float32Array, k: number): Promise<{ id: number; distance: number }[]>
  describe(): string
}

function element(id: number): NewElement {
  const query = `question ${id}`
  return {
    query, normalizedQuery: query, namespace: 'bench', tool: 'search', args: {}, scopeKey: BENCH_SCOPE, source: 'bench', embedder: BENCH_EMBEDDER,
    result: { documents: [] }, latencyMs: 400, costUsd: 0.005, staticity: 4, frequency: 0, sizeBytes: 100,
    createdAt: 0, lastAccessAt: 0, expiresAt: Number.MAX_SAFE_INTEGER, origin: 'miss',
  }
}

/** A fresh cache file at `path`; ids are assigned in insertion order from 1, as the other layouts number them. */
export async function cacheLayout(path: string, dims: number, name: string, vectorIndex?: VectorIndexOptions): Promise<CacheLayout> {
  const store = openStore(path, { vectorIndex })
  await store.registerEmbedder({ fingerprint: BENCH_EMBEDDER, model: 'bench', dimensions: dims })
  const now = Date.now()
  return {
    name,
    store,
    add: async (items) => {
      const stored = await store.insert(items.map(({ vector }, i) => ({ element: element(items[0].id + i), embedding: vector })))
      if (stored[0].id !== items[0].id) throw new Error(`expected ids from ${items[0].id}, the store gave ${stored[0].id}`)
    },
    nearest: async (query, k) => (await store.nearest(BENCH_EMBEDDER, BENCH_SCOPE, query, k, now)).map((c) => ({ id: c.element.id, distance: 1 - c.similarity })),
    describe: () => {
      const layout = store.vectorLayout(BENCH_EMBEDDER, BENCH_SCOPE)
      return `${layout.phase}: searched by ${layout.searched}, ${layout.lists} lists${layout.probes ? `, ${layout.probes} read per look-up` : ''}${layout.busy ? ', batch job running' : ''}`
    },
  }
}
