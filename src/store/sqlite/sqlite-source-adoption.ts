import type Database from 'better-sqlite3'
import type { SourceAdopter } from '../../core/ports/cache-store.js'
import type { EmbedderVectors } from './vector-index/embedder-vectors.js'
import { rowToElement, type ElementRow } from '../element-rows.js'

/** Elements moved per write transaction: short enough that other processes' writes never time out waiting. */
const CHUNK = 500

/**
 * Moves every element listed in unrecorded_sources (stored before sources were recorded) to the
 * source and scope key `adopt` gives it. Costs one read when nothing is listed. Each chunk is one
 * IMMEDIATE transaction that re-reads the list, so two processes opening an upgraded file never
 * move an element twice. Its vector moves to the new scope with it.
 */
export function adoptSqliteSources(db: Database.Database, vectorsOf: (embedder: string) => EmbedderVectors | undefined, adopt: SourceAdopter): number {
  if (!db.prepare('SELECT 1 FROM unrecorded_sources LIMIT 1').get()) return 0
  const pending = db.prepare(`SELECT e.* FROM unrecorded_sources u JOIN elements e ON e.id = u.element_id LIMIT ${CHUNK}`)
  const update = db.prepare('UPDATE elements SET source = ?, scope_key = ? WHERE id = ?')
  const unlist = db.prepare('DELETE FROM unrecorded_sources WHERE element_id = ?')
  const adoptChunk = db.transaction((): number => {
    const rows = pending.all() as ElementRow[]
    for (const row of rows) {
      const { source, scopeKey } = adopt(rowToElement(row))
      update.run(source, scopeKey, row.id)
      unlist.run(row.id)
      vectorsOf(row.embedder)?.move(BigInt(row.id), scopeKey)
    }
    return rows.length
  })
  let moved = 0
  for (let chunk = adoptChunk.immediate(); chunk > 0; chunk = adoptChunk.immediate()) moved += chunk
  return moved
}
