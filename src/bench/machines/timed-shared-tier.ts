import type { NearestCandidate, NewElement } from '../../core/ports/cache-store.js'
import type { SemanticElement } from '../../core/semantic-element.js'
import { parseStoreUrl } from '../../config/store-config.js'
import { createPool, type PoolOptions } from '../../store/postgres/connection.js'
import { PostgresDatabase } from '../../store/postgres/database.js'
import { PostgresStore } from '../../store/postgres/postgres-store.js'
import type { SharedCallTimes } from './machine-protocol.js'

/**
 * A bench machine's shared tier, timing each call the tiered store makes to it: look-ups (exact
 * match, nearest neighbours) and writes (write-through of a new element), in ms.
 */
export class TimedSharedTier extends PostgresStore {
  readonly times: SharedCallTimes = { lookups: [], writes: [] }

  private async timed<T>(into: number[], call: () => Promise<T>): Promise<T> {
    const started = performance.now()
    try {
      return await call()
    } finally {
      into.push(performance.now() - started)
    }
  }

  override findExact(scopeKey: string, normalizedQuery: string, now: number): Promise<SemanticElement | undefined> {
    return this.timed(this.times.lookups, () => super.findExact(scopeKey, normalizedQuery, now))
  }

  override nearest(embedder: string, scopeKey: string, embedding: Float32Array, k: number, now: number): Promise<NearestCandidate[]> {
    return this.timed(this.times.lookups, () => super.nearest(embedder, scopeKey, embedding, k, now))
  }

  override insert(items: { element: NewElement; embedding: Float32Array }[]): Promise<SemanticElement[]> {
    return this.timed(this.times.writes, () => super.insert(items))
  }
}

export function openTimedSharedTier(url: string, options: PoolOptions): TimedSharedTier {
  const target = parseStoreUrl(url)
  return new TimedSharedTier(new PostgresDatabase(createPool(target, options), target))
}
