import type Database from 'better-sqlite3'
import type { SourceAdopter } from '../core/cache-store.js'
import { rowToElement, type ElementRow } from './element-rows.js'

/**
 * Moves every element listed in unrecorded_sources (stored before sources were recorded) to the
 * source and scope key `adopt` gives it, in one IMMEDIATE transaction so that two processes opening
 * an upgraded file never both move it. A vec0 partition key cannot be updated: the vector row is
 * deleted and inserted again under the new key.
 */
export function adoptSqliteSources(db: Database.Database, vectorTableOf: (embedder: string) => string | undefined, adopt: SourceAdopter): number {
  return db
    .transaction(() => {
      const rows = db.prepare('SELECT e.* FROM unrecorded_sources u JOIN elements e ON e.id = u.element_id').all() as ElementRow[]
      const update = db.prepare('UPDATE elements SET source = ?, scope_key = ? WHERE id = ?')
      for (const row of rows) {
        const { source, scopeKey } = adopt(rowToElement(row))
        update.run(source, scopeKey, row.id)
        const table = vectorTableOf(row.embedder)
        if (!table) continue
        const id = BigInt(row.id)
        const vector = db.prepare(`SELECT expires_at, embedding FROM ${table} WHERE element_id = ?`).get(id) as { expires_at: number; embedding: Buffer } | undefined
        if (!vector) continue
        db.prepare(`DELETE FROM ${table} WHERE element_id = ?`).run(id)
        db.prepare(`INSERT INTO ${table} (element_id, scope_key, expires_at, embedding) VALUES (?, ?, ?, ?)`).run(id, scopeKey, BigInt(vector.expires_at), vector.embedding)
      }
      db.prepare('DELETE FROM unrecorded_sources').run()
      return rows.length
    })
    .immediate()
}
