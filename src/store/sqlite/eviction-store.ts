import type Database from 'better-sqlite3'
import {
  checkBudget,
  isOverBudget,
  type CacheUsage,
  type EvictionPolicy,
  type EvictionReason,
  type EvictionRecord,
  type EvictionRequest,
  type EvictionStore,
} from '../../core/eviction.js'
import { toEvictionRecord, type EvictionLogRow } from '../eviction-rows.js'
import type { SqliteStore } from './sqlite-store.js'

interface VictimRow {
  id: number
  namespace: string
  tool: string
  scope_key: string
  embedder: string
  query: string
  size_bytes: number
  created_at: number
}

// Each order is served by an index (elements_lcfu, elements_lru, elements_lfu), so a victim is one index read.
const POLICY_ORDER: Record<EvictionPolicy, string> = {
  lcfu: 'lcfu_value, last_access_at, id',
  lru: 'last_access_at, id',
  lfu: 'frequency, last_access_at, id',
}

const VICTIM_COLUMNS = 'id, namespace, tool, scope_key, embedder, query, size_bytes, created_at'

/** Eviction on the SQLite file: vector row, element row and log line leave in one transaction. */
export class SqliteEvictionStore implements EvictionStore {
  private readonly db: Database.Database

  constructor(private readonly store: SqliteStore) {
    this.db = store.db
  }

  async usage(namespace?: string): Promise<CacheUsage> {
    return this.usageNow(namespace)
  }

  async evictOverBudget({ budget, now, protect = [] }: EvictionRequest): Promise<EvictionRecord[]> {
    const { policy, namespace } = checkBudget(budget)
    return this.db
      .transaction(() => {
        let usage = this.usageNow(namespace)
        const evicted: EvictionRecord[] = []
        while (isOverBudget(usage, budget)) {
          const expired = this.nextVictim('expired', now, namespace, protect)
          const victim = expired ?? this.nextVictim(policy, now, namespace, protect)
          if (!victim) break
          evicted.push(this.remove(victim, expired ? 'expired' : policy, now))
          usage = { entries: usage.entries - 1, bytes: usage.bytes - victim.size_bytes }
        }
        return evicted
      })
      .immediate()
  }

  async evictExpired(now: number, namespace?: string): Promise<EvictionRecord[]> {
    return this.db
      .transaction(() => {
        const evicted: EvictionRecord[] = []
        const next = () => this.nextVictim('expired', now, namespace, [])
        for (let victim = next(); victim; victim = next()) evicted.push(this.remove(victim, 'expired', now))
        return evicted
      })
      .immediate()
  }

  async evict(ids: number[], reason: EvictionReason, now: number): Promise<EvictionRecord[]> {
    const select = this.db.prepare(`SELECT ${VICTIM_COLUMNS} FROM elements WHERE id = ?`)
    return this.db
      .transaction(() =>
        ids.flatMap((id) => {
          const row = select.get(id) as VictimRow | undefined
          return row ? [this.remove(row, reason, now)] : []
        }),
      )
      .immediate()
  }

  async log(options: { limit?: number; namespace?: string } = {}): Promise<EvictionRecord[]> {
    const where = options.namespace === undefined ? '' : 'WHERE namespace = ?'
    const params = options.namespace === undefined ? [] : [options.namespace]
    const rows = this.db.prepare(`SELECT * FROM evictions ${where} ORDER BY id DESC LIMIT ?`).all(...params, options.limit ?? -1) as EvictionLogRow[]
    return rows.map(toEvictionRecord)
  }

  private usageNow(namespace?: string): CacheUsage {
    const row = (namespace === undefined
      ? this.db.prepare('SELECT coalesce(sum(entries), 0) AS entries, coalesce(sum(bytes), 0) AS bytes FROM element_usage').get()
      : this.db.prepare('SELECT entries, bytes FROM element_usage WHERE namespace = ?').get(namespace)) as CacheUsage | undefined
    return row ?? { entries: 0, bytes: 0 }
  }

  /** The first element in eviction order: expired ones by expiry, the others by the policy's index. */
  private nextVictim(kind: 'expired' | EvictionPolicy, now: number, namespace: string | undefined, protect: number[]): VictimRow | undefined {
    // `+namespace` keeps the planner on the ordering index instead of sorting a namespace's rows.
    const where = [
      kind === 'expired' ? 'expires_at <= ?' : '',
      namespace === undefined ? '' : '+namespace = ?',
      protect.length ? `id NOT IN (${protect.map(() => '?').join(',')})` : '',
      // Not yet written through to a shared tier: evicting it now would lose an acknowledged store.
      'id NOT IN (SELECT local_id FROM shared_outbox)',
    ].filter(Boolean)
    const order = kind === 'expired' ? 'expires_at, id' : POLICY_ORDER[kind]
    const sql = `SELECT ${VICTIM_COLUMNS} FROM elements ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY ${order} LIMIT 1`
    const params = [...(kind === 'expired' ? [Math.floor(now)] : []), ...(namespace === undefined ? [] : [namespace]), ...protect]
    return this.db.prepare(sql).get(...params) as VictimRow | undefined
  }

  private remove(row: VictimRow, reason: EvictionReason, now: number): EvictionRecord {
    this.store.removeVector(row.embedder, row.id)
    this.db.prepare('DELETE FROM elements WHERE id = ?').run(row.id)
    const at = Math.round(now)
    this.db
      .prepare(`INSERT INTO evictions (element_id, namespace, tool, scope_key, query, created_at, reason, evicted_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(row.id, row.namespace, row.tool, row.scope_key, row.query, row.created_at, reason, at)
    this.db
      .prepare(`INSERT INTO counters (namespace, name, value) VALUES (?, ?, 1)
        ON CONFLICT (namespace, name) DO UPDATE SET value = value + 1`)
      .run(row.namespace, `evicted_${reason}`)
    return {
      elementId: row.id,
      namespace: row.namespace,
      tool: row.tool,
      scopeKey: row.scope_key,
      query: row.query,
      createdAt: row.created_at,
      reason,
      evictedAt: at,
    }
  }
}
