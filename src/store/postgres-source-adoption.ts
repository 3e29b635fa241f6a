import type { SourceAdopter } from '../core/cache-store.js'
import { rowToElement, type ElementRow } from './element-rows.js'
import type { PostgresDatabase } from './postgres-database.js'

/**
 * Moves every element listed in the shared tier's unrecorded_sources (stored before sources were
 * recorded) to the source and scope key `adopt` gives it. The list is claimed by deleting it in
 * the same transaction, so of several machines opening an upgraded tier one moves each element.
 */
export function adoptPostgresSources(db: PostgresDatabase, vectorTableOf: (embedder: string) => Promise<string | undefined>, adopt: SourceAdopter): Promise<number> {
  const s = db.schema
  return db.inTransaction(async (client) => {
    const { rows } = await client.query<ElementRow>(`DELETE FROM ${s}.unrecorded_sources u USING ${s}.elements e WHERE e.id = u.element_id RETURNING e.*`)
    for (const row of rows) {
      const { source, scopeKey } = adopt(rowToElement(row))
      await client.query(`UPDATE ${s}.elements SET source = $1, scope_key = $2 WHERE id = $3`, [source, scopeKey, row.id])
      const table = await vectorTableOf(row.embedder)
      if (table) await client.query(`UPDATE ${s}.${table} SET scope_key = $1 WHERE element_id = $2`, [scopeKey, row.id])
    }
    return rows.length
  })
}
