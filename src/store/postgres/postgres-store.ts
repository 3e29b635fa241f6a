import { createHash } from 'node:crypto'
import type pg from 'pg'
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
} from '../../core/ports/cache-store.js'
import { AsteriaError } from '../../core/errors.js'
import { flightKey, runExclusive } from '../../core/ports/leases.js'
import type { SemanticElement } from '../../core/semantic-element.js'
import type { SessionLog } from '../../core/ports/session-log.js'
import { parseStoreUrl } from '../../config/store-config.js'
import { rowToElement, type ElementRow } from '../element-rows.js'
import { createPool, fromVectorLiteral, sharedStoreError, toEpochMs, toVectorLiteral, withoutNul, type PoolOptions } from './connection.js'
import { acquirePostgresLease } from './postgres-leases.js'
import { adoptPostgresSources } from './postgres-source-adoption.js'
import { listQuery, summarize } from './postgres-listing.js'
import { PostgresDatabase } from './database.js'
import { PostgresSessionLog } from './postgres-session-log.js'
import { vectorTableDdl } from './postgres-migrations.js'
import { describePostgres, type PostgresDescription } from './postgres-migrate.js'

interface EmbedderRow {
  fingerprint: string
  model: string
  dimensions: number
  vector_table: string
}

const ELEMENT_COLUMNS = `namespace, tool, args_json, scope_key, embedder, query, normalized_query, result_json, latency_ms,
  cost_usd, staticity, frequency, size_bytes, created_at, last_access_at, expires_at, origin, source`

/**
 * The shared tier on PostgreSQL + pgvector: one vector table per embedder with a cosine HNSW
 * index, searched within one scope. Connects and migrates on first use, so an unreachable
 * server fails calls (which the tiered store survives) rather than the constructor.
 */
export class PostgresStore implements CacheStore {
  readonly location: string
  readonly schema: string
  private readonly embedders = new Map<string, EmbedderRow>()
  private readonly scanConfigured = new WeakSet<pg.PoolClient>()

  constructor(readonly db: PostgresDatabase) {
    this.location = db.target.redacted
    this.schema = db.schema
  }

  get pool(): pg.Pool {
    return this.db.pool
  }

  /** Connects and migrates once; a failure is retried by the next call. */
  ensureReady(): Promise<void> {
    return this.db.ensureReady()
  }

  private sql<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    return this.db.sql<R>(text, params)
  }

  async registerEmbedder(info: { fingerprint: string; model: string; dimensions: number }): Promise<void> {
    const known = this.embedders.get(info.fingerprint) ?? (await this.reloadEmbedder(info.fingerprint))
    if (!known) {
      const table = 'vec_' + createHash('sha256').update(info.fingerprint).digest('hex').slice(0, 16)
      await this.db.inTransaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`asteria:embedder:${this.schema}:${info.fingerprint}`])
        await client.query(vectorTableDdl(this.schema, table, info.dimensions))
        await client.query(
          `INSERT INTO ${this.schema}.embedders (fingerprint, model, dimensions, vector_table, created_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (fingerprint) DO NOTHING`,
          [info.fingerprint, info.model, info.dimensions, table, Date.now()],
        )
      })
    }
    const row = known ?? (await this.reloadEmbedder(info.fingerprint))
    if (row && row.dimensions !== info.dimensions) {
      throw new AsteriaError('EMBEDDER', `The shared cache holds ${row.dimensions}-d vectors for embedder ${info.fingerprint}, but it now returns ${info.dimensions}-d vectors.`, {
        suggestions: ['Use another schema (?schema=name in the store URL), or clear the shared cache with `asteria cache clear --yes`.'],
      })
    }
  }

  private async reloadEmbedder(fingerprint: string): Promise<EmbedderRow | undefined> {
    const row = (await this.sql<EmbedderRow>(`SELECT * FROM ${this.schema}.embedders WHERE fingerprint = $1`, [fingerprint])).rows[0]
    if (row) this.embedders.set(fingerprint, row)
    return row
  }

  private async vectorTable(fingerprint: string): Promise<EmbedderRow> {
    const row = this.embedders.get(fingerprint) ?? (await this.reloadEmbedder(fingerprint))
    if (!row) throw new AsteriaError('EMBEDDER', `No vectors are stored for embedder ${fingerprint} in the shared cache.`)
    return row
  }

  adoptUnrecordedSources(adopt: SourceAdopter): Promise<number> {
    return adoptPostgresSources(this.db, async (embedder) => (this.embedders.get(embedder) ?? (await this.reloadEmbedder(embedder)))?.vector_table, adopt)
  }

  async insert(items: { element: NewElement; embedding: Float32Array }[]): Promise<SemanticElement[]> {
    const tables = await Promise.all(items.map(({ element }) => this.vectorTable(element.embedder)))
    items.forEach(({ element, embedding }, i) => {
      if (embedding.length !== tables[i].dimensions) {
        throw new AsteriaError('EMBEDDER', `Expected a ${tables[i].dimensions}-d vector for ${element.embedder}, received ${embedding.length}-d.`)
      }
    })
    const insertOne = async (run: pg.PoolClient, i: number): Promise<SemanticElement> => {
      const { element, embedding } = items[i]
      const { rows } = await run.query<{ element_id: number }>(
        `WITH e AS (INSERT INTO ${this.schema}.elements (${ELEMENT_COLUMNS})
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $19) RETURNING id)
         INSERT INTO ${this.schema}.${tables[i].vector_table} (element_id, scope_key, expires_at, embedding)
         SELECT id, $4, $16, $18::vector FROM e RETURNING element_id`,
        withoutNul([
          element.namespace, element.tool, JSON.stringify(element.args), element.scopeKey, element.embedder, element.query,
          element.normalizedQuery, JSON.stringify(element.result), element.latencyMs, element.costUsd, Math.round(element.staticity),
          element.frequency, element.sizeBytes, Math.round(element.createdAt), Math.round(element.lastAccessAt),
          Math.round(element.expiresAt), element.origin, toVectorLiteral(embedding), element.source,
        ]),
      )
      return { ...element, id: rows[0].element_id, embedding }
    }
    if (items.length === 1) return this.db.withClient(async (client) => [await insertOne(client, 0)])
    return this.db.inTransaction(async (client) => {
      const stored: SemanticElement[] = []
      for (let i = 0; i < items.length; i++) stored.push(await insertOne(client, i))
      return stored
    })
  }

  async findExact(scopeKey: string, normalizedQuery: string, now: number): Promise<SemanticElement | undefined> {
    const { rows } = await this.sql<ElementRow>(
      `SELECT * FROM ${this.schema}.elements WHERE scope_key = $1 AND normalized_query = $2 AND expires_at > $3 ORDER BY id DESC LIMIT 1`,
      [scopeKey, normalizedQuery, toEpochMs(now)],
    )
    return rows[0] && rowToElement(rows[0])
  }

  async nearest(embedder: string, scopeKey: string, embedding: Float32Array, k: number, now: number): Promise<NearestCandidate[]> {
    await this.ensureReady()
    const table = this.embedders.get(embedder) ?? (await this.reloadEmbedder(embedder))
    if (!table) return []
    return this.db.withClient(async (client) => {
      if (!this.scanConfigured.has(client)) {
        // pgvector >= 0.8 keeps walking the HNSW graph until k rows pass the scope filter; older ones ignore it.
        await client.query("SET hnsw.iterative_scan = 'relaxed_order'").catch(() => undefined)
        this.scanConfigured.add(client)
      }
      const { rows } = await client.query<ElementRow & { distance: number }>(
        `SELECT e.*, v.embedding <=> $1::vector AS distance
         FROM ${this.schema}.${table.vector_table} v JOIN ${this.schema}.elements e ON e.id = v.element_id
         WHERE v.scope_key = $2 AND v.expires_at > $3
         ORDER BY v.embedding <=> $1::vector LIMIT $4`,
        [toVectorLiteral(embedding), scopeKey, toEpochMs(now), k],
      )
      return rows
        .map(({ distance, ...row }) => ({ element: rowToElement(row), similarity: 1 - distance }))
        .sort((a, b) => b.similarity - a.similarity)
    })
  }

  async get(id: number): Promise<SemanticElement | undefined> {
    const { rows } = await this.sql<ElementRow>(`SELECT * FROM ${this.schema}.elements WHERE id = $1`, [id])
    return rows[0] && rowToElement(rows[0])
  }

  async getEmbedding(id: number): Promise<Float32Array | undefined> {
    const element = await this.get(id)
    return element && (await this.embeddings(element.embedder, [id])).get(id)
  }

  /** The vectors of several elements of one embedder, by id (one round trip). */
  async embeddings(embedder: string, ids: number[]): Promise<Map<number, Float32Array>> {
    if (ids.length === 0) return new Map()
    const { vector_table: table } = await this.vectorTable(embedder)
    const { rows } = await this.sql<{ element_id: number; embedding: string }>(
      `SELECT element_id, embedding::text AS embedding FROM ${this.schema}.${table} WHERE element_id = ANY($1::bigint[])`,
      [ids],
    )
    return new Map(rows.map((r) => [r.element_id, fromVectorLiteral(r.embedding)]))
  }

  async recordHit(id: number, now: number): Promise<void> {
    await this.sql(
      `UPDATE ${this.schema}.elements SET frequency = frequency + 1, last_access_at = GREATEST(last_access_at, $2) WHERE id = $1`,
      [id, toEpochMs(now)],
    )
  }

  async delete(ids: number[]): Promise<number> {
    if (ids.length === 0) return 0
    return (await this.sql(`DELETE FROM ${this.schema}.elements WHERE id = ANY($1::bigint[])`, [ids])).rowCount ?? 0
  }

  async list(filter: ElementFilter): Promise<SemanticElement[]> {
    const { text, params } = listQuery(this.schema, filter)
    return (await this.sql<ElementRow>(text, params)).rows.map(rowToElement)
  }

  async all(namespace?: string): Promise<SemanticElement[]> {
    const { rows } = namespace === undefined
      ? await this.sql<ElementRow>(`SELECT * FROM ${this.schema}.elements ORDER BY id`)
      : await this.sql<ElementRow>(`SELECT * FROM ${this.schema}.elements WHERE namespace = $1 ORDER BY id`, [namespace])
    return rows.map(rowToElement)
  }

  async clear(namespace?: string): Promise<number> {
    const result = namespace === undefined
      ? await this.sql(`DELETE FROM ${this.schema}.elements`)
      : await this.sql(`DELETE FROM ${this.schema}.elements WHERE namespace = $1`, [namespace])
    return result.rowCount ?? 0
  }

  /** Atomic increments: machines counting at once never lose an update. */
  async addCounters(namespace: string, deltas: Record<string, number>): Promise<void> {
    const entries = Object.entries(deltas).filter(([, value]) => value !== 0)
    if (entries.length === 0) return
    await this.sql(
      `INSERT INTO ${this.schema}.counters AS c (namespace, name, value)
       SELECT $1, name, value FROM unnest($2::text[], $3::float8[]) AS t (name, value)
       ON CONFLICT (namespace, name) DO UPDATE SET value = c.value + EXCLUDED.value`,
      [namespace, entries.map(([name]) => name), entries.map(([, value]) => value)],
    )
  }

  async counters(namespace?: string): Promise<Record<string, number>> {
    const { rows } = namespace === undefined
      ? await this.sql<{ name: string; value: number }>(`SELECT name, sum(value) AS value FROM ${this.schema}.counters GROUP BY name`)
      : await this.sql<{ name: string; value: number }>(`SELECT name, value FROM ${this.schema}.counters WHERE namespace = $1`, [namespace])
    return Object.fromEntries(rows.map((r) => [r.name, r.value]))
  }

  async summary(now: number, namespace?: string): Promise<StoreSummary> {
    return summarize((text, params) => this.sql(text, params), this.schema, now, namespace)
  }

  async getThresholds(embedder: string, policy: string): Promise<StoredThresholds | undefined> {
    const { rows } = await this.sql<{ tau_sim: number; tau_judge: number; updated_at: number }>(
      `SELECT tau_sim, tau_judge, updated_at FROM ${this.schema}.thresholds WHERE embedder = $1 AND policy = $2`,
      [embedder, policy],
    )
    return rows[0] && { tauSim: rows[0].tau_sim, tauJudge: rows[0].tau_judge, updatedAt: rows[0].updated_at }
  }

  async setThresholds(embedder: string, policy: string, t: StoredThresholds): Promise<void> {
    await this.sql(
      `INSERT INTO ${this.schema}.thresholds (embedder, policy, tau_sim, tau_judge, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (embedder, policy) DO UPDATE SET tau_sim = EXCLUDED.tau_sim, tau_judge = EXCLUDED.tau_judge, updated_at = EXCLUDED.updated_at`,
      [embedder, policy, t.tauSim, t.tauJudge, Math.round(t.updatedAt)],
    )
  }

  async acquireLease(scopeKey: string, normalizedQuery: string, ttlMs: number): Promise<Lease | null> {
    return this.claim(flightKey(scopeKey, normalizedQuery), ttlMs)
  }

  /** One machine at a time runs the job `name` (eviction, calibration); the others get `{ ran: false }`. */
  async withExclusive<T>(name: string, ttlMs: number, fn: () => Promise<T>): Promise<ExclusiveOutcome<T>> {
    return runExclusive(await this.claimExclusive(name, ttlMs), ttlMs, fn)
  }

  claimExclusive(name: string, ttlMs: number): Promise<Lease | null> {
    return this.claim(`exclusive:${name}`, ttlMs)
  }

  private async claim(key: string, ttlMs: number): Promise<Lease | null> {
    await this.ensureReady()
    return acquirePostgresLease(this.pool, this.schema, key, ttlMs).catch((error: unknown) => Promise.reject(sharedStoreError(this.db.target, error)))
  }

  /** What `asteria doctor` reports of the shared tier, read-only (postgres-migrate.ts). */
  describe(): Promise<PostgresDescription> {
    return describePostgres(this.pool, this.schema)
  }

  /** Drops this store's whole schema (a throwaway one, such as a bench's), tables and all. */
  async dropSchema(): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`).catch((error: unknown) => Promise.reject(sharedStoreError(this.db.target, error)))
  }

  sessionLog(): SessionLog {
    return new PostgresSessionLog(this.db)
  }

  close(): Promise<void> {
    return this.db.close()
  }
}

/** A shared-tier store for a postgres:// URL; nothing connects until the first call. */
export function openPostgresStore(url: string, options: PoolOptions = {}): PostgresStore {
  const target = parseStoreUrl(url)
  return new PostgresStore(new PostgresDatabase(createPool(target, options), target))
}
