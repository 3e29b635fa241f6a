import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'
import type {
  CacheStore,
  ElementFilter,
  ExclusiveOutcome,
  Lease,
  NearestCandidate,
  NewElement,
  SourceAdopter,
  StoredThresholds,
  StoreSummary,
} from '../core/cache-store.js'
import { AsteriaError } from '../core/errors.js'
import { flightKey, runExclusive } from '../core/peer-flight.js'
import type { SemanticElement } from '../core/semantic-element.js'
import type { SessionLog } from '../core/session-log.js'
import { buildOnDatabase, type OpenStoreOptions } from './open-store.js'
import { rowToElement, type ElementRow } from './element-rows.js'
import { acquireSqliteLease } from './sqlite-leases.js'
import { SqliteSessionLog } from './sqlite-session-log.js'
import { adoptSqliteSources } from './sqlite-source-adoption.js'
import { hasVec0PartitionIndex, indexVec0Partitions, VEC0_CHUNK_SIZE } from './vec0-partitions.js'

interface EmbedderRow {
  fingerprint: string
  model: string
  dimensions: number
  vector_table: string
}

const SORT_SQL = { hits: 'frequency DESC, id', cost: 'cost_usd DESC, id', recent: 'last_access_at DESC, id DESC' }

/** The SQLite + sqlite-vec store: one vec0 table per embedder, partitioned by scope. */
export class SqliteStore implements CacheStore {
  private readonly embedders = new Map<string, EmbedderRow>()

  constructor(
    readonly db: Database.Database,
    readonly location: string,
  ) {
    for (const row of db.prepare('SELECT * FROM embedders').all() as EmbedderRow[]) {
      this.embedders.set(row.fingerprint, row)
      // Files made before the index existed get it once (their chunk size stays as it was); a
      // read-only file does without it (it only makes look-ups faster).
      if (!db.readonly && !hasVec0PartitionIndex(db, row.vector_table)) indexVec0Partitions(db, row.vector_table)
    }
  }

  async registerEmbedder(info: { fingerprint: string; model: string; dimensions: number }): Promise<void> {
    const known = this.embedders.get(info.fingerprint) ?? this.reloadEmbedder(info.fingerprint)
    if (known) {
      if (known.dimensions !== info.dimensions) {
        throw new AsteriaError('EMBEDDER', `The cache holds ${known.dimensions}-d vectors for embedder ${info.fingerprint}, but it now returns ${info.dimensions}-d vectors.`, {
          suggestions: ['Start a new cache with --db, or clear this one with `asteria cache clear --yes`.'],
        })
      }
      return
    }
    const table = 'vec_' + createHash('sha256').update(info.fingerprint).digest('hex').slice(0, 16)
    this.db.transaction(() => {
      this.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${table} USING vec0(
        element_id INTEGER PRIMARY KEY,
        scope_key TEXT PARTITION KEY,
        expires_at INTEGER,
        embedding FLOAT[${info.dimensions}] distance_metric=cosine,
        chunk_size=${VEC0_CHUNK_SIZE})`)
      indexVec0Partitions(this.db, table)
      this.db
        .prepare('INSERT OR IGNORE INTO embedders (fingerprint, model, dimensions, vector_table, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(info.fingerprint, info.model, info.dimensions, table, Date.now())
    })()
    this.reloadEmbedder(info.fingerprint)
  }

  private reloadEmbedder(fingerprint: string): EmbedderRow | undefined {
    const row = this.db.prepare('SELECT * FROM embedders WHERE fingerprint = ?').get(fingerprint) as EmbedderRow | undefined
    if (row) this.embedders.set(fingerprint, row)
    return row
  }

  private vectorTable(fingerprint: string): EmbedderRow {
    const row = this.embedders.get(fingerprint) ?? this.reloadEmbedder(fingerprint)
    if (!row) throw new AsteriaError('EMBEDDER', `No vectors are stored for embedder ${fingerprint}.`)
    return row
  }

  async insert(items: { element: NewElement; embedding: Float32Array }[]): Promise<SemanticElement[]> {
    // The id is past every id ever used (element_id_floor keeps the highest deleted one): an id in an
    // old decision record or eviction log never names a newer element.
    const insertElement = this.db.prepare(`INSERT INTO elements (id, namespace, tool, args_json, scope_key, source, embedder, query,
      normalized_query, result_json, latency_ms, cost_usd, staticity, frequency, size_bytes, created_at, last_access_at,
      expires_at, origin) VALUES (
      max(coalesce((SELECT max(id) FROM elements), 0), coalesce((SELECT max_id FROM element_id_floor), 0)) + 1,
      @namespace, @tool, @args_json, @scope_key, @source, @embedder, @query, @normalized_query,
      @result_json, @latency_ms, @cost_usd, @staticity, @frequency, @size_bytes, @created_at, @last_access_at, @expires_at, @origin)`)
    return this.db.transaction(() =>
      items.map(({ element, embedding }) => {
        const { vector_table: table, dimensions } = this.vectorTable(element.embedder)
        if (embedding.length !== dimensions) {
          throw new AsteriaError('EMBEDDER', `Expected a ${dimensions}-d vector for ${element.embedder}, received ${embedding.length}-d.`)
        }
        const info = insertElement.run({
          namespace: element.namespace,
          tool: element.tool,
          args_json: JSON.stringify(element.args),
          scope_key: element.scopeKey,
          source: element.source,
          embedder: element.embedder,
          query: element.query,
          normalized_query: element.normalizedQuery,
          result_json: JSON.stringify(element.result),
          latency_ms: element.latencyMs,
          cost_usd: element.costUsd,
          staticity: Math.round(element.staticity),
          frequency: element.frequency,
          size_bytes: element.sizeBytes,
          created_at: Math.round(element.createdAt),
          last_access_at: Math.round(element.lastAccessAt),
          expires_at: Math.round(element.expiresAt),
          origin: element.origin,
        })
        const id = BigInt(info.lastInsertRowid)
        this.db
          .prepare(`INSERT INTO ${table} (element_id, scope_key, expires_at, embedding) VALUES (?, ?, ?, ?)`)
          .run(id, element.scopeKey, BigInt(Math.round(element.expiresAt)), embedding)
        return { ...element, id: Number(id), embedding }
      }),
    )()
  }

  async findExact(scopeKey: string, normalizedQuery: string, now: number): Promise<SemanticElement | undefined> {
    const row = this.db
      .prepare('SELECT * FROM elements WHERE scope_key = ? AND normalized_query = ? AND expires_at > ? ORDER BY id DESC LIMIT 1')
      .get(scopeKey, normalizedQuery, now) as ElementRow | undefined
    return row && rowToElement(row)
  }

  async nearest(embedder: string, scopeKey: string, embedding: Float32Array, k: number, now: number): Promise<NearestCandidate[]> {
    const row = this.embedders.get(embedder) ?? this.reloadEmbedder(embedder)
    if (!row) return []
    const hits = this.db
      .prepare(`SELECT element_id, distance FROM ${row.vector_table}
        WHERE embedding MATCH ? AND k = ? AND scope_key = ? AND expires_at > ?`)
      .all(embedding, k, scopeKey, BigInt(Number.isFinite(now) ? Math.floor(now) : Number.MIN_SAFE_INTEGER)) as { element_id: number; distance: number }[]
    if (hits.length === 0) return []
    const rows = this.db
      .prepare(`SELECT * FROM elements WHERE id IN (${hits.map(() => '?').join(',')})`)
      .all(...hits.map((h) => h.element_id)) as ElementRow[]
    const byId = new Map(rows.map((r) => [r.id, r]))
    return hits
      .filter((hit) => byId.has(hit.element_id))
      .map((hit) => ({ element: rowToElement(byId.get(hit.element_id)!), similarity: 1 - hit.distance }))
  }

  async adoptUnrecordedSources(adopt: SourceAdopter): Promise<number> {
    return adoptSqliteSources(this.db, (embedder) => (this.embedders.get(embedder) ?? this.reloadEmbedder(embedder))?.vector_table, adopt)
  }

  async get(id: number): Promise<SemanticElement | undefined> {
    const row = this.db.prepare('SELECT * FROM elements WHERE id = ?').get(id) as ElementRow | undefined
    return row && rowToElement(row)
  }

  async getEmbedding(id: number): Promise<Float32Array | undefined> {
    const element = await this.get(id)
    if (!element) return undefined
    const { vector_table: table, dimensions } = this.vectorTable(element.embedder)
    const row = this.db.prepare(`SELECT embedding FROM ${table} WHERE element_id = ?`).get(BigInt(id)) as { embedding: Buffer } | undefined
    return row && new Float32Array(row.embedding.buffer.slice(row.embedding.byteOffset, row.embedding.byteOffset + dimensions * 4))
  }

  async recordHit(id: number, now: number): Promise<void> {
    this.db.prepare('UPDATE elements SET frequency = frequency + 1, last_access_at = ? WHERE id = ?').run(Math.round(now), id)
  }

  async delete(ids: number[]): Promise<number> {
    return this.db.transaction(() => {
      let deleted = 0
      for (const id of ids) {
        const row = this.db.prepare('SELECT embedder FROM elements WHERE id = ?').get(id) as { embedder: string } | undefined
        if (!row) continue
        const table = this.embedders.get(row.embedder)?.vector_table ?? this.reloadEmbedder(row.embedder)?.vector_table
        if (table) this.db.prepare(`DELETE FROM ${table} WHERE element_id = ?`).run(BigInt(id))
        deleted += this.db.prepare('DELETE FROM elements WHERE id = ?').run(id).changes
      }
      return deleted
    })()
  }

  async list(filter: ElementFilter): Promise<SemanticElement[]> {
    const where: string[] = []
    const params: unknown[] = []
    if (filter.namespace !== undefined) (where.push('namespace = ?'), params.push(filter.namespace))
    if (filter.tool !== undefined) (where.push('tool = ?'), params.push(filter.tool))
    if (filter.search) (where.push("query LIKE ? ESCAPE '\\'"), params.push(`%${filter.search.replace(/[\\%_]/g, '\\$&')}%`))
    if (filter.expired === true) (where.push('expires_at <= ?'), params.push(filter.now))
    if (filter.expired === false) (where.push('expires_at > ?'), params.push(filter.now))
    const sql = `SELECT * FROM elements ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY ${SORT_SQL[filter.sort ?? 'recent']} LIMIT ?`
    const rows = this.db.prepare(sql).all(...params, filter.limit ?? -1) as ElementRow[]
    return rows.map(rowToElement)
  }

  async all(namespace?: string): Promise<SemanticElement[]> {
    const rows = (namespace === undefined
      ? this.db.prepare('SELECT * FROM elements ORDER BY id').all()
      : this.db.prepare('SELECT * FROM elements WHERE namespace = ? ORDER BY id').all(namespace)) as ElementRow[]
    return rows.map(rowToElement)
  }

  async clear(namespace?: string): Promise<number> {
    const ids = (namespace === undefined
      ? this.db.prepare('SELECT id FROM elements').all()
      : this.db.prepare('SELECT id FROM elements WHERE namespace = ?').all(namespace)) as { id: number }[]
    return this.delete(ids.map((r) => r.id))
  }

  async addCounters(namespace: string, deltas: Record<string, number>): Promise<void> {
    const upsert = this.db.prepare(`INSERT INTO counters (namespace, name, value) VALUES (?, ?, ?)
      ON CONFLICT (namespace, name) DO UPDATE SET value = value + excluded.value`)
    this.db.transaction(() => {
      for (const [name, value] of Object.entries(deltas)) if (value !== 0) upsert.run(namespace, name, value)
    })()
  }

  async counters(namespace?: string): Promise<Record<string, number>> {
    const rows = (namespace === undefined
      ? this.db.prepare('SELECT name, sum(value) AS value FROM counters GROUP BY name').all()
      : this.db.prepare('SELECT name, value FROM counters WHERE namespace = ?').all(namespace)) as { name: string; value: number }[]
    return Object.fromEntries(rows.map((r) => [r.name, r.value]))
  }

  async summary(now: number, namespace?: string): Promise<StoreSummary> {
    const scope = namespace === undefined ? '' : 'WHERE namespace = ?'
    const args = namespace === undefined ? [] : [namespace]
    const totals = this.db
      .prepare(`SELECT count(*) AS elements, coalesce(sum(size_bytes), 0) AS bytes,
        coalesce(sum(expires_at <= ?), 0) AS expired FROM elements ${scope}`)
      .get(now, ...args) as { elements: number; bytes: number; expired: number }
    const tools = this.db.prepare(`SELECT tool, count(*) AS n FROM elements ${scope} GROUP BY tool`).all(...args) as { tool: string; n: number }[]
    const perEmbedder = this.db.prepare(`SELECT embedder, count(*) AS n FROM elements ${scope} GROUP BY embedder`).all(...args) as { embedder: string; n: number }[]
    const counts = new Map(perEmbedder.map((r) => [r.embedder, r.n]))
    const embedders = (this.db.prepare('SELECT * FROM embedders ORDER BY created_at').all() as EmbedderRow[]).map((e) => ({
      fingerprint: e.fingerprint,
      model: e.model,
      dimensions: e.dimensions,
      elements: counts.get(e.fingerprint) ?? 0,
    }))
    return { ...totals, byTool: Object.fromEntries(tools.map((t) => [t.tool, t.n])), embedders }
  }

  async getThresholds(embedder: string, policy: string): Promise<StoredThresholds | undefined> {
    const row = this.db
      .prepare('SELECT tau_sim, tau_judge, updated_at FROM thresholds WHERE embedder = ? AND policy = ?')
      .get(embedder, policy) as { tau_sim: number; tau_judge: number; updated_at: number } | undefined
    return row && { tauSim: row.tau_sim, tauJudge: row.tau_judge, updatedAt: row.updated_at }
  }

  async setThresholds(embedder: string, policy: string, t: StoredThresholds): Promise<void> {
    this.db
      .prepare('INSERT OR REPLACE INTO thresholds (embedder, policy, tau_sim, tau_judge, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(embedder, policy, t.tauSim, t.tauJudge, t.updatedAt)
  }

  async acquireLease(scopeKey: string, normalizedQuery: string, ttlMs: number): Promise<Lease | null> {
    return acquireSqliteLease(this.db, flightKey(scopeKey, normalizedQuery), ttlMs)
  }

  async withExclusive<T>(name: string, ttlMs: number, fn: () => Promise<T>): Promise<ExclusiveOutcome<T>> {
    return runExclusive(acquireSqliteLease(this.db, `exclusive:${name}`, ttlMs), ttlMs, fn)
  }

  sessionLog(): SessionLog {
    return new SqliteSessionLog(this.db)
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close()
  }
}

export function openStore(path: string, options: OpenStoreOptions = {}): SqliteStore {
  return buildOnDatabase(path, options, (db) => new SqliteStore(db, path))
}
