import type Database from 'better-sqlite3'

/**
 * The tiered store's bookkeeping in the local cache file: which local element is which shared
 * one (links), which local elements still have to be written through (outbox), which shared
 * elements were deleted while the shared tier was away (tombstones), and counter increments
 * not yet added there. A trigger drops links and outbox rows of deleted local elements.
 */
export class TierLedger {
  constructor(private readonly db: Database.Database) {}

  enqueue(localIds: number[], now: number): void {
    const insert = this.db.prepare('INSERT OR IGNORE INTO shared_outbox (local_id, queued_at) VALUES (?, ?)')
    this.db.transaction(() => localIds.forEach((id) => insert.run(id, Math.round(now))))()
  }

  /** Queued local ids above `afterId`, oldest first. */
  pending(limit: number, afterId = 0): number[] {
    return (this.db.prepare('SELECT local_id FROM shared_outbox WHERE local_id > ? ORDER BY local_id LIMIT ?').all(afterId, limit) as { local_id: number }[]).map(
      (r) => r.local_id,
    )
  }

  pendingCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM shared_outbox').get() as { n: number }).n
  }

  /** Records that local elements now exist in the shared tier (and so leave the outbox). */
  link(pairs: { localId: number; sharedId: number }[]): void {
    const link = this.db.prepare('INSERT OR REPLACE INTO shared_links (local_id, shared_id) VALUES (?, ?)')
    const dequeue = this.db.prepare('DELETE FROM shared_outbox WHERE local_id = ?')
    this.db.transaction(() => {
      for (const { localId, sharedId } of pairs) {
        link.run(localId, sharedId)
        dequeue.run(localId)
      }
    })()
  }

  dequeue(localIds: number[]): void {
    const dequeue = this.db.prepare('DELETE FROM shared_outbox WHERE local_id = ?')
    this.db.transaction(() => localIds.forEach((id) => dequeue.run(id)))()
  }

  sharedIds(localIds: number[]): Map<number, number> {
    return this.lookup('SELECT local_id AS a, shared_id AS b FROM shared_links WHERE local_id IN', localIds)
  }

  localIds(sharedIds: number[]): Map<number, number> {
    return this.lookup('SELECT shared_id AS a, local_id AS b FROM shared_links WHERE shared_id IN', sharedIds)
  }

  private lookup(sql: string, keys: number[]): Map<number, number> {
    if (keys.length === 0) return new Map()
    const rows = this.db.prepare(`${sql} (${keys.map(() => '?').join(',')})`).all(...keys) as { a: number; b: number }[]
    return new Map(rows.map((r) => [r.a, r.b]))
  }

  tombstone(sharedIds: number[], now: number): void {
    const insert = this.db.prepare('INSERT OR IGNORE INTO shared_tombstones (shared_id, deleted_at) VALUES (?, ?)')
    this.db.transaction(() => sharedIds.forEach((id) => insert.run(id, Math.round(now))))()
  }

  tombstones(): number[] {
    return (this.db.prepare('SELECT shared_id FROM shared_tombstones ORDER BY shared_id').all() as { shared_id: number }[]).map((r) => r.shared_id)
  }

  clearTombstones(sharedIds: number[]): void {
    const remove = this.db.prepare('DELETE FROM shared_tombstones WHERE shared_id = ?')
    this.db.transaction(() => sharedIds.forEach((id) => remove.run(id)))()
  }

  addCounterDeltas(namespace: string, deltas: Record<string, number>): void {
    const upsert = this.db.prepare(`INSERT INTO shared_counter_deltas (namespace, name, value) VALUES (?, ?, ?)
      ON CONFLICT (namespace, name) DO UPDATE SET value = value + excluded.value`)
    this.db.transaction(() => {
      for (const [name, value] of Object.entries(deltas)) if (value !== 0) upsert.run(namespace, name, value)
    })()
  }

  counterDeltas(): Map<string, Record<string, number>> {
    const rows = this.db.prepare('SELECT namespace, name, value FROM shared_counter_deltas').all() as { namespace: string; name: string; value: number }[]
    const byNamespace = new Map<string, Record<string, number>>()
    for (const r of rows) byNamespace.set(r.namespace, { ...byNamespace.get(r.namespace), [r.name]: r.value })
    return byNamespace
  }

  /** Takes back what was sent; increments queued meanwhile stay queued. */
  settleCounterDeltas(namespace: string, sent: Record<string, number>): void {
    const settle = this.db.prepare('UPDATE shared_counter_deltas SET value = value - ? WHERE namespace = ? AND name = ?')
    this.db.transaction(() => {
      for (const [name, value] of Object.entries(sent)) settle.run(value, namespace, name)
      this.db.prepare('DELETE FROM shared_counter_deltas WHERE abs(value) < 1e-9').run()
    })()
  }
}
