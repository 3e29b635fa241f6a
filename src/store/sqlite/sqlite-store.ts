import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'
import type { CacheStore, ElementFilter, ExclusiveOutcome, Lease, NearestCandidate, NewElement, SourceAdopter, StoredThresholds, StoreSummary } from '../../core/ports/cache-store.js'
import { AsteriaError } from '../../core/errors.js'
import { flightKey, runExclusive } from '../../core/ports/leases.js'
import type { SemanticElement } from '../../core/semantic-element.js'
import type { SessionLog } from '../../core/ports/session-log.js'
import { buildOnDatabase, openDatabase, type OpenStoreOptions } from './open-store.js'
import { ELEMENT_COLUMNS, elementParams, INSERT_ELEMENT_SQL, rowToElement, type ElementRow } from '../element-rows.js'
import { listElements, summarizeElements } from './sqlite-listing.js'
import { acquireSqliteLease } from './sqlite-leases.js'
import { SqliteSessionLog } from './sqlite-session-log.js'
import { adoptSqliteSources } from './sqlite-source-adoption.js'
import { EmbedderVectors, type ScopeLayout } from './vector-index/embedder-vectors.js'
import { createScanTable } from './vector-index/scan-table.js'
import { toVector } from './vector-index/vector-lists.js'

/** What `asteria doctor` reports of a cache file. */
export interface SqliteDescription {
  sqliteVersion: string
  vecVersion: string
  schemaVersion: number
  elements: number
}

interface EmbedderRow {
  fingerprint: string
  model: string
  dimensions: number
  vector_table: string
}

/**
 * The SQLite + sqlite-vec store: per embedder, a vec0 table partitioned by scope, and lists of
 * nearby vectors for scopes too large to scan (embedder-vectors.ts).
 */
export class SqliteStore implements CacheStore {
  private readonly embedders = new Map<string, EmbedderRow>()
  private readonly vectors = new Map<string, EmbedderVectors>()
  private readonly byIdStatements = new Map<number, Database.Statement>()

  /** Reads an existing cache file read-only (no migration, no write) for the doctor. */
  static describe(path: string): SqliteDescription {
    const db = openDatabase(path, { readonly: true })
    try {
      const { v } = db.prepare('SELECT vec_version() AS v').get() as { v: string }
      const { s } = db.prepare('SELECT sqlite_version() AS s').get() as { s: string }
      const { n } = db.prepare('SELECT count(*) AS n FROM elements').get() as { n: number }
      return { sqliteVersion: s, vecVersion: v, schemaVersion: db.pragma('user_version', { simple: true }) as number, elements: n }
    } finally {
      db.close()
    }
  }

  constructor(
    readonly db: Database.Database,
    readonly location: string,
    private readonly options: Pick<OpenStoreOptions, 'vectorIndex'> = {},
  ) {
    for (const row of db.prepare('SELECT * FROM embedders').all() as EmbedderRow[]) this.remember(row)
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
      createScanTable(this.db, table, info.dimensions)
      this.db
        .prepare('INSERT OR IGNORE INTO embedders (fingerprint, model, dimensions, vector_table, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(info.fingerprint, info.model, info.dimensions, table, Date.now())
    })()
    this.reloadEmbedder(info.fingerprint)
  }

  private reloadEmbedder(fingerprint: string): EmbedderRow | undefined {
    const row = this.db.prepare('SELECT * FROM embedders WHERE fingerprint = ?').get(fingerprint) as EmbedderRow | undefined
    if (row) this.remember(row)
    return row
  }

  private remember(row: EmbedderRow): void {
    this.embedders.set(row.fingerprint, row)
    if (!this.vectors.has(row.fingerprint)) {
      this.vectors.set(row.fingerprint, new EmbedderVectors(this.db, row.vector_table, row.fingerprint, row.dimensions, this.options.vectorIndex))
    }
  }

  private vectorTable(fingerprint: string): EmbedderRow {
    const row = this.embedders.get(fingerprint) ?? this.reloadEmbedder(fingerprint)
    if (!row) throw new AsteriaError('EMBEDDER', `No vectors are stored for embedder ${fingerprint}.`)
    return row
  }

  /** An embedder's vectors, or undefined when it stored none. */
  private vectorsOf(fingerprint: string): EmbedderVectors | undefined {
    if (!this.vectors.has(fingerprint)) this.reloadEmbedder(fingerprint)
    return this.vectors.get(fingerprint)
  }

  /** Removes an element's vector (inside the caller's transaction); the eviction store calls it too. */
  removeVector(embedder: string, id: number): void {
    this.vectorsOf(embedder)?.remove(BigInt(id))
  }

  /** How one scope's vectors are searched now: scanned, or through lists. */
  vectorLayout(embedder: string, scopeKey: string): ScopeLayout {
    return this.vectorsOf(embedder)?.layout(scopeKey) ?? { phase: 'small', searched: 'scan', lists: 0, probes: 0, busy: false }
  }

  async insert(items: { element: NewElement; embedding: Float32Array }[]): Promise<SemanticElement[]> {
    const insertElement = this.db.prepare(INSERT_ELEMENT_SQL)
    return this.db.transaction(() =>
      items.map(({ element, embedding }) => {
        const { dimensions } = this.vectorTable(element.embedder)
        if (embedding.length !== dimensions) {
          throw new AsteriaError('EMBEDDER', `Expected a ${dimensions}-d vector for ${element.embedder}, received ${embedding.length}-d.`)
        }
        const info = insertElement.run(elementParams(element))
        const id = BigInt(info.lastInsertRowid)
        this.vectorsOf(element.embedder)!.insert(id, element.scopeKey, BigInt(Math.round(element.expiresAt)), embedding)
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
    const vectors = this.vectorsOf(embedder)
    if (!vectors) return []
    const hits = vectors.nearest(scopeKey, embedding, k, BigInt(Number.isFinite(now) ? Math.floor(now) : Number.MIN_SAFE_INTEGER))
    if (hits.length === 0) return []
    const rows = this.elementsById(hits.length).all(...hits.map((h) => h.element_id)) as ElementRow[]
    const byId = new Map(rows.map((r) => [r.id, r]))
    return hits
      .filter((hit) => byId.has(hit.element_id))
      .map((hit) => ({ element: rowToElement(byId.get(hit.element_id)!), similarity: 1 - hit.distance }))
  }

  /** A look-up's element rows, prepared once per count: preparing costs ~25 us of a ~0.7 ms look-up. */
  private elementsById(count: number): Database.Statement {
    let statement = this.byIdStatements.get(count)
    if (!statement) {
      statement = this.db.prepare(`SELECT ${ELEMENT_COLUMNS} FROM elements WHERE id IN (${Array.from({ length: count }, () => '?').join(',')})`)
      this.byIdStatements.set(count, statement)
    }
    return statement
  }

  async adoptUnrecordedSources(adopt: SourceAdopter): Promise<number> {
    return adoptSqliteSources(this.db, (embedder) => this.vectorsOf(embedder), adopt)
  }

  async get(id: number): Promise<SemanticElement | undefined> {
    const row = this.db.prepare('SELECT * FROM elements WHERE id = ?').get(id) as ElementRow | undefined
    return row && rowToElement(row)
  }

  async getEmbedding(id: number): Promise<Float32Array | undefined> {
    const element = await this.get(id)
    if (!element) return undefined
    const row = this.vectorsOf(element.embedder)?.read(BigInt(id))
    return row && toVector(row.embedding, this.vectorTable(element.embedder).dimensions)
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
        this.removeVector(row.embedder, id)
        deleted += this.db.prepare('DELETE FROM elements WHERE id = ?').run(id).changes
      }
      return deleted
    })()
  }

  async list(filter: ElementFilter): Promise<SemanticElement[]> {
    return listElements(this.db, filter)
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
    return summarizeElements(this.db, now, namespace)
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
  return buildOnDatabase(path, options, (db) => new SqliteStore(db, path, options))
}
