import { join } from 'node:path'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { parseStoreUrl } from '../../../src/config/store-config.js'
import { postgresCheck } from '../../../src/doctor/postgres-check.js'
import { POSTGRES_MIGRATIONS } from '../../../src/store/postgres/postgres-migrations.js'
import { openStore } from '../../../src/store/sqlite/sqlite-store.js'
import { useTempDirs } from '../../helpers/temp-dir.js'
import { usePostgres } from '../../helpers/use-postgres.js'
import { cacheStoreContract, element, EMBEDDER, vec } from './cache-store-contract.js'

const tempDir = useTempDirs()
const postgres = usePostgres({ max: 4 })

describe('CacheStore contract: SqliteStore', () => {
  cacheStoreContract(async () => ({ store: postgres.track(openStore(join(tempDir(), 'cache.sqlite'))) }))
})

describe('CacheStore contract: PostgresStore', () => {
  cacheStoreContract(async () => ({ store: postgres.shared() }))
})

describe('CacheStore contract: TieredStore', () => {
  cacheStoreContract(async () => {
    const store = postgres.tiered(postgres.freshUrl())
    return { store, settle: () => store.settled() }
  })
})

describe('PostgresStore', () => {
  it('adopts elements stored before sources were recorded once, under their new scope key, keeping ids and vectors', async () => {
    // Given a shared tier with an element listed as stored before sources were recorded
    const store = postgres.shared()
    await store.registerEmbedder(EMBEDDER)
    const [old] = await store.insert([{ element: element('old answer', 'old-key'), embedding: vec(1, 0, 0) }])
    await store.pool.query(`INSERT INTO ${store.schema}.unrecorded_sources (element_id) VALUES ($1)`, [old.id])
    // When it is adopted as an answer of "local"
    const moved = await store.adoptUnrecordedSources(() => ({ source: 'local', scopeKey: 'new-key' }))
    // Then it answers in its new scope only, and a second adoption finds nothing left
    expect(moved).toBe(1)
    expect(await store.get(old.id)).toMatchObject({ source: 'local', scopeKey: 'new-key' })
    expect((await store.nearest(EMBEDDER.fingerprint, 'new-key', vec(1, 0, 0), 1, 0)).map((n) => n.element.id)).toEqual([old.id])
    expect(await store.nearest(EMBEDDER.fingerprint, 'old-key', vec(1, 0, 0), 1, 0)).toEqual([])
    expect(await store.adoptUnrecordedSources(() => ({ source: 'x', scopeKey: 'x' }))).toBe(0)
  })

  it('keeps one vector table per embedder with a cosine HNSW index that the nearest-neighbour query uses', async () => {
    // Given two embedders of different dimensions
    const url = postgres.freshUrl()
    const store = postgres.shared(url)
    await store.registerEmbedder(EMBEDDER)
    await store.registerEmbedder({ fingerprint: 'test:unit5', model: 'unit', dimensions: 5 })
    await store.insert([{ element: element('a1', 'scope-a'), embedding: vec(1, 0, 0) }])
    // Then each has its own vector table, indexed with HNSW over cosine distance
    const { schema } = parseStoreUrl(url)
    const indexes = await store.pool.query<{ indexdef: string }>('SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexdef ILIKE $2', [schema, '%hnsw%'])
    expect(indexes.rows).toHaveLength(2)
    for (const { indexdef } of indexes.rows) expect(indexdef).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/)
    // And the planner takes the HNSW index for an ordered look-up when a scan is not an option
    const client = await store.pool.connect()
    try {
      await client.query('BEGIN')
      await client.query('SET LOCAL enable_seqscan = off')
      const table = (await client.query<{ vector_table: string }>(`SELECT vector_table FROM ${schema}.embedders WHERE fingerprint = $1`, [EMBEDDER.fingerprint])).rows[0].vector_table
      const plan = await client.query(`EXPLAIN SELECT element_id FROM ${schema}.${table} ORDER BY embedding <=> '[1,0,0]' LIMIT 5`)
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(new RegExp(`Index Scan using ${table}_hnsw`))
    } finally {
      await client.query('COMMIT')
      client.release()
    }
  })

  it('runs its migrations once when several machines start at the same moment', async () => {
    // Given five processes' stores opening one new schema at once
    const url = postgres.freshUrl()
    const stores = Array.from({ length: 5 }, () => postgres.shared(url))
    // When all of them migrate
    await Promise.all(stores.map((s) => s.ensureReady()))
    // Then the schema is at the latest version, written by one of them
    const { schema } = parseStoreUrl(url)
    const { rows } = await stores[0].pool.query(`SELECT version FROM ${schema}.schema_version`)
    expect(rows).toEqual([{ version: POSTGRES_MIGRATIONS.length }])
  })

  it('adds counters atomically when several machines count at once', async () => {
    const url = postgres.freshUrl()
    const stores = Array.from({ length: 4 }, () => postgres.shared(url))
    await stores[0].ensureReady()
    await Promise.all(stores.flatMap((s) => Array.from({ length: 25 }, () => s.addCounters('team', { requests: 1, cost_spent_usd: 0.5 }))))
    expect(await stores[0].counters('team')).toEqual({ requests: 100, cost_spent_usd: 50 })
  })

  it('names the server but never its password when it cannot be reached', async () => {
    // Given a URL with a password and nothing listening at its port
    const store = postgres.shared('postgres://agent:hunter2-secret@127.0.0.1:9/cache')
    // When a call fails
    const failure = await store.findExact('s', 'q', 0).then(() => undefined, (error: Error) => error)
    // Then the error names the server with the password masked
    expect(failure?.message).toMatch(/postgres:\/\/agent:\*\*\*@127\.0\.0\.1:9\/cache/)
    expect(failure?.message).not.toContain('hunter2')
    expect(store.location).toBe('postgres://agent:***@127.0.0.1:9/cache')
  })
})

describe('postgresCheck', () => {
  it('reports the server, the pgvector version, the schema and the HNSW indexes', async () => {
    const url = postgres.freshUrl()
    const store = postgres.shared(url)
    await store.registerEmbedder(EMBEDDER)
    await store.insert([{ element: element('a1', 'scope-a'), embedding: vec(1, 0, 0) }])
    const check = await postgresCheck(url)
    expect(check).toMatchObject({ part: 'shared tier', status: 'ok' })
    const schema = `schema ${POSTGRES_MIGRATIONS.length}/${POSTGRES_MIGRATIONS.length}`
    expect(check.detail).toMatch(new RegExp(`pgvector \\d+\\.\\d+\\.\\d+, ${schema}, 1 embedder\\(s\\) with cosine HNSW indexes, 1 elements`))
  })

  it('says the schema is created on first use when no Asteria ran there yet', async () => {
    expect((await postgresCheck(postgres.freshUrl())).detail).toMatch(/schema created on first use/)
  })

  it('is an error, without the password, when the server is unreachable', async () => {
    const check = await postgresCheck('postgres://agent:hunter2-secret@127.0.0.1:9/cache')
    expect(check.status).toBe('error')
    expect(check.detail).toContain('postgres://agent:***@127.0.0.1:9/cache')
    expect(JSON.stringify(check)).not.toContain('hunter2')
  })

  it('names the local-only setup when no shared tier is configured', async () => {
    expect(await postgresCheck(undefined)).toMatchObject({ part: 'shared tier', status: 'embedded' })
  })
})

describe('pg against the test server', () => {
  it('answers parameterised queries from many connections correctly (pglite-socket multiplexes them)', async () => {
    // Given several pools querying at once with different parameters
    const pools = Array.from({ length: 4 }, () => new pg.Pool({ connectionString: postgres.url, max: 3 }))
    try {
      const answers = await Promise.all(
        pools.flatMap((p, i) => Array.from({ length: 30 }, (_, j) => p.query<{ n: number; s: string }>('SELECT $1::int AS n, $2::text AS s', [i * 100 + j, `q${i}-${j}`]))),
      )
      // Then every query gets its own answer
      expect(answers.map((a) => a.rows[0])).toEqual(pools.flatMap((_, i) => Array.from({ length: 30 }, (_, j) => ({ n: i * 100 + j, s: `q${i}-${j}` }))))
    } finally {
      for (const p of pools) await p.end()
    }
  })
})
