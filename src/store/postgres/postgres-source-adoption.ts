import type { SourceAdopter } from '../../core/ports/cache-store.js'
import { rowToElement, type ElementRow } from '../element-rows.js'
import type { PostgresDatabase } from './database.js'

/** Elements moved per transaction: a few round trips each, short next to a look-up's wait. */
const CHUNK = 500

/**
 * Moves every element listed in the shared tier's unrecorded_sources (stored before sources were
 * recorded) to the source and scope key `adopt` gives it. Costs one query when nothing is listed.
 * Each chunk claims its rows by deleting them from the list (rows another machine holds are
 * skipped), so of several machines opening an upgraded tier one moves each element.
 */
export async function adoptPostgresSources(db: PostgresDatabase, vectorTableOf: (embedder: string) => Promise<string | undefined>, adopt: SourceAdopter): Promise<number> {
  const s = db.schema
  if ((await db.withClient((c) => c.query(`SELECT 1 FROM ${s}.unrecorded_sources LIMIT 1`))).rowCount === 0) return 0
  let moved = 0
  for (;;) {
    const chunk = await db.inTransaction(async (client) => {
      const { rows } = await client.query<ElementRow>(
        `WITH claimed AS (
           DELETE FROM ${s}.unrecorded_sources WHERE element_id IN (
             SELECT element_id FROM ${s}.unrecorded_sources LIMIT ${CHUNK} FOR UPDATE SKIP LOCKED)
           RETURNING element_id)
         SELECT e.* FROM ${s}.elements e JOIN claimed c ON c.element_id = e.id`,
      )
      const adopted = rows.map((row) => ({ row, ...adopt(rowToElement(row)) }))
      const ids = adopted.map((a) => a.row.id)
      const keys = adopted.map((a) => a.scopeKey)
      await client.query(
        `UPDATE ${s}.elements e SET source = u.source, scope_key = u.scope_key
         FROM unnest($1::bigint[], $2::text[], $3::text[]) AS u(id, source, scope_key) WHERE e.id = u.id`,
        [ids, adopted.map((a) => a.source), keys],
      )
      for (const embedder of new Set(adopted.map((a) => a.row.embedder))) {
        const table = await vectorTableOf(embedder)
        const mine = adopted.filter((a) => a.row.embedder === embedder)
        if (table) {
          await client.query(`UPDATE ${s}.${table} v SET scope_key = u.scope_key FROM unnest($1::bigint[], $2::text[]) AS u(id, scope_key) WHERE v.element_id = u.id`, [
            mine.map((a) => a.row.id),
            mine.map((a) => a.scopeKey),
          ])
        }
      }
      return rows.length
    })
    if (chunk === 0) return moved
    moved += chunk
  }
}
