import type Database from 'better-sqlite3'
import { indexVec0Partitions, VEC0_CHUNK_SIZE } from './vec0-partitions.js'

/** Creates an embedder's scanned vector table: one vec0 partition per scope, searched exactly. */
export function createScanTable(db: Database.Database, table: string, dims: number): void {
  db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${table} USING vec0(
    element_id INTEGER PRIMARY KEY,
    scope_key TEXT PARTITION KEY,
    expires_at INTEGER,
    embedding FLOAT[${dims}] distance_metric=cosine,
    chunk_size=${VEC0_CHUNK_SIZE})`)
  indexVec0Partitions(db, table)
}

/** The statements on a scanned vector table, and on the element ids of a scope. */
export type ScanTable = Record<'insert' | 'remove' | 'read' | 'knn' | 'count' | 'newest' | 'idsAfter' | 'scopeIds', Database.Statement>

export function prepareScanTable(db: Database.Database, table: string): ScanTable {
  return {
    insert: db.prepare(`INSERT INTO ${table} (element_id, scope_key, expires_at, embedding) VALUES (?, ?, ?, ?)`),
    remove: db.prepare(`DELETE FROM ${table} WHERE element_id = ?`),
    read: db.prepare(`SELECT expires_at, embedding FROM ${table} WHERE element_id = ?`),
    knn: db.prepare(`SELECT element_id, distance FROM ${table} WHERE embedding MATCH ? AND k = ? AND scope_key = ? AND expires_at > ?`),
    count: db.prepare('SELECT count(*) FROM elements WHERE scope_key = ?').pluck(),
    newest: db.prepare('SELECT coalesce(max(id), 0) FROM elements WHERE scope_key = ?').pluck(),
    // `+scope_key`: walk ids upward from where the batch job stopped, not the scope's rows in query order.
    idsAfter: db.prepare('SELECT id FROM elements WHERE +scope_key = ? AND id > ? AND id <= ? ORDER BY id LIMIT ?').pluck(),
    scopeIds: db.prepare('SELECT id FROM elements WHERE scope_key = ? ORDER BY id').pluck(),
  }
}

export interface VectorRow {
  expires_at: number
  embedding: Buffer
}
