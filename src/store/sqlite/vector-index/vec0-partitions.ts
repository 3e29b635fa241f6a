import type Database from 'better-sqlite3'

/**
 * vec0 slots per storage chunk for the cache's partitioned vector tables. A partition (scope)
 * takes at least one whole chunk: with vec0's default of 1024 slots, every scope costs 2 MB of
 * a 498-d file even for one element (100 elements in 100 scopes: 206 MB; with 64 slots: 13 MB).
 * 64 keeps a k-nearest scan of a large scope within noise of 1024 (measured side by side: 63.6 vs
 * 59.4 ms p50 for 19.8k vectors in one scope, under load), where 8 costs 60% more.
 */
export const VEC0_CHUNK_SIZE = 64

/**
 * sqlite-vec 0.1.9 keeps no index on the partition column of a vec0 table's chunks, so each
 * insert and each partitioned k-nearest look-up scans every chunk of every partition. This adds
 * one (idempotent). Measured: 60k vectors in 2,000 partitions, inserts 12.9k/s -> 97.5k/s and a
 * 4-partition look-up 0.77 -> 0.16 ms.
 */
export function indexVec0Partitions(db: Database.Database, table: string, partitionKeys = 1): void {
  const columns = Array.from({ length: partitionKeys }, (_, i) => `partition0${i}`).join(', ')
  db.exec(`CREATE INDEX IF NOT EXISTS ${table}_chunks_partition ON ${table}_chunks (${columns}, chunk_id)`)
}

export function hasVec0PartitionIndex(db: Database.Database, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?").get(`${table}_chunks_partition`) !== undefined
}
