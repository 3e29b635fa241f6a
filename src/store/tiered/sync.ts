import type { NewElement } from '../../core/ports/cache-store.js'
import type { SemanticElement } from '../../core/semantic-element.js'
import type { PostgresStore } from '../postgres/postgres-store.js'
import type { SqliteStore } from '../sqlite/sqlite-store.js'
import type { TierLedger } from './ledger.js'
import { OFFLINE } from './availability.js'

/** Runs one shared-tier operation under the tiered store's timeout and outage rules. */
export type SharedCall = <T>(op: (shared: PostgresStore) => Promise<T>, force?: boolean) => Promise<T | typeof OFFLINE>

export interface SyncReport {
  /** The shared tier answered. */
  online: boolean
  /** Queued elements written through by this catch-up. */
  written: number
  /** Shared elements deleted that were deleted locally during the outage. */
  deleted: number
  /** Elements still waiting in the outbox. */
  pending: number
}

const BATCH = 100

export function toNewElement(element: SemanticElement): NewElement {
  const { id: _id, embedding: _embedding, ...rest } = element
  return rest
}

/** Writes local elements to the shared tier and links them; false when the shared tier is away. */
export async function writeThrough(call: SharedCall, ledger: TierLedger, elements: SemanticElement[]): Promise<boolean> {
  const stored = await call((shared) => shared.insert(elements.map((e) => ({ element: toNewElement(e), embedding: e.embedding! }))))
  if (stored === OFFLINE) return false
  ledger.link(elements.map((e, i) => ({ localId: e.id, sharedId: stored[i].id })))
  return true
}

/** Local copies of shared elements (keyed by shared id), copying with their expiry the ones this machine lacks. */
export async function copyToHotTier(call: SharedCall, local: SqliteStore, ledger: TierLedger, elements: SemanticElement[]): Promise<Map<number, SemanticElement>> {
  const copies = new Map<number, SemanticElement>()
  const known = ledger.localIds(elements.map((e) => e.id))
  const missing: SemanticElement[] = []
  for (const element of elements) {
    const copy = known.has(element.id) ? await local.get(known.get(element.id)!) : undefined
    if (copy) copies.set(element.id, copy)
    else missing.push(element)
  }
  if (missing.length === 0) return copies
  const vectors = await call((shared) => shared.embeddings(missing[0].embedder, missing.map((e) => e.id)))
  if (vectors === OFFLINE) return copies
  const copyable = missing.filter((e) => vectors.has(e.id))
  const stored = await local.insert(copyable.map((e) => ({ element: toNewElement(e), embedding: vectors.get(e.id)! })))
  ledger.link(stored.map((copy, i) => ({ localId: copy.id, sharedId: copyable[i].id })))
  stored.forEach((copy, i) => copies.set(copyable[i].id, copy))
  return copies
}

/**
 * Brings the shared tier up to date after an outage: embedders first (their vector tables),
 * then deletions, counter increments and queued elements, in batches. Stops at the first
 * failure; what is left stays queued for the next catch-up. Delivery is at least once: a crash
 * between a shared insert and its local link sends that element again.
 */
export async function catchUp(call: SharedCall, local: SqliteStore, ledger: TierLedger, inFlight: ReadonlySet<number>): Promise<SyncReport> {
  const report: SyncReport = { online: false, written: 0, deleted: 0, pending: ledger.pendingCount() }
  const embedders = local.db.prepare('SELECT fingerprint, model, dimensions FROM embedders').all() as { fingerprint: string; model: string; dimensions: number }[]
  const registered = await call(async (shared) => {
    for (const info of embedders) await shared.registerEmbedder(info)
  }, true)
  if (registered === OFFLINE) return report
  report.online = true

  const tombstones = ledger.tombstones()
  if (tombstones.length > 0) {
    if ((await call((shared) => shared.delete(tombstones))) === OFFLINE) return report
    ledger.clearTombstones(tombstones)
    report.deleted = tombstones.length
  }
  for (const [namespace, deltas] of ledger.counterDeltas()) {
    if ((await call((shared) => shared.addCounters(namespace, deltas))) === OFFLINE) return report
    ledger.settleCounterDeltas(namespace, deltas)
  }
  for (let ids = ledger.pending(BATCH); ids.length > 0; ids = ledger.pending(BATCH, ids[ids.length - 1])) {
    const ready: SemanticElement[] = []
    const gone: number[] = []
    // Elements whose own write-through is under way are left to it.
    for (const id of ids.filter((id) => !inFlight.has(id))) {
      const element = await local.get(id)
      const embedding = element && (await local.getEmbedding(id))
      if (element && embedding) ready.push({ ...element, embedding })
      else gone.push(id)
    }
    ledger.dequeue(gone)
    if (ready.length > 0 && !(await writeThrough(call, ledger, ready))) break
    report.written += ready.length
  }
  report.pending = ledger.pendingCount()
  return report
}
