import type Database from 'better-sqlite3'
import type { SourceAdopter } from '../core/cache-store.js'
import { rowToElement, type ElementRow } from './element-rows.js'

/** Elements moved per write transaction: short enough that other processes' writes never time out waiting. */
const CHUNK = 500

/**
 * Moves every element listed in unrecorded_sources (stored before sources were recorded) to the
 * source and scope key `adopt` gives it. Costs one read when nothing is listed. Each chunk is one
 * IMMEDIATE transaction that re-reads the list, so two processes opening an upgraded file never
 * move an element twice. A vec0 partition key cannot be updated: the vector row is deleted and
 * inserted again under the new key.
 */
export function adoptSqliteSources(db: Database.Database, vectorTableOf: (embedder: string) => string | undefined, adopt: SourceAdopter): number {
  if (!db.prepare('SELECT 1 FROM unrecorded_sources LIMIT 1').get()) return 0
  const pending = db.prepare(`SELECT e.* FROM unrecorded_sources u JOIN elements e ON e.id = u.element_id LIMIT ${CHUNK}`)
  const update = db.prepare('UPDATE elements SET source = ?, scope_key = ? WHERE id = ?')
  const unlist = db.prepare('DELETE FROM unrecorded_sources WHERE element_id = ?')
  const vectorStatements = new Map<string, { read: Database.Statement; remove: Database.Statement; insert: Database.Statement }>()
  const vectorsOf = (table: string) => {
    let statements = vectorStatements.get(table)
    if (!statements) {
      statements = {
        read: db.prepare(`SELECT expires_at, embedding FROM ${table} WHERE element_id = ?`),
        remove: db.prepare(`DELETE FROM ${table} WHERE element_id = ?`),
        insert: db.prepare(`INSERT INTO ${table} (element_id, scope_key, expires_at, embedding) VALUES (?, ?, ?, ?)`),
      }
      vectorStatements.set(table, statements)
    }
    return statements
  }
  const adoptChunk = db.transaction((): number => {
    const rows = pending.all() as ElementRow[]
    for (const row of rows) {
      const { source, scopeKey } = adopt(rowToElement(row))
      update.run(source, scopeKey, row.id)
      unlist.run(row.id)
      const table = vectorTableOf(row.embedder)
      if (!table) continue
      const id = BigInt(row.id)
      const vectors = vectorsOf(table)
      const vector = vectors.read.get(id) as { expires_at: number; embedding: Buffer } | undefined
      if (!vector) continue
      vectors.remove.run(id)
      vectors.insert.run(id, scopeKey, BigInt(vector.expires_at), vector.embedding)
    }
    return rows.length
  })
  let moved = 0
  for (let chunk = adoptChunk.immediate(); chunk > 0; chunk = adoptChunk.immediate()) moved += chunk
  return moved
}
