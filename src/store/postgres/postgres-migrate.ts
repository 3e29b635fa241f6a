import type pg from 'pg'
import { AsteriaError } from '../../core/errors.js'
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js'

const UNIQUE_VIOLATION = '23505'

/**
 * Brings the schema up to date. Machines starting at once queue on a transaction-scoped
 * advisory lock, and each re-reads the version under it, so every migration runs once.
 */
export async function migratePostgres(pool: pg.Pool, schema: string): Promise<void> {
  await ensureVectorExtension(pool)
  if ((await schemaVersion(pool, schema)) === POSTGRES_MIGRATIONS.length) return
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`asteria:migrate:${schema}`])
    // Read, not CREATE SCHEMA IF NOT EXISTS: that needs the CREATE privilege on the database even for a
    // schema a DBA made for this user, and it can miss one committed while this machine waited for the lock.
    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])
    if (!exists.rowCount) await client.query(`CREATE SCHEMA ${schema}`)
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.schema_version (version INTEGER NOT NULL)`)
    const row = (await client.query<{ version: number }>(`SELECT version FROM ${schema}.schema_version`)).rows[0]
    if (!row) await client.query(`INSERT INTO ${schema}.schema_version (version) VALUES (0)`)
    const current = row?.version ?? 0
    if (current > POSTGRES_MIGRATIONS.length) {
      throw new AsteriaError('STORE', `The shared cache schema "${schema}" is at version ${current}, newer than this Asteria (${POSTGRES_MIGRATIONS.length}).`, {
        suggestions: ['Upgrade asteria on this machine, or point it at another schema with ?schema=name in the store URL.'],
      })
    }
    for (let version = current; version < POSTGRES_MIGRATIONS.length; version++) {
      await client.query(POSTGRES_MIGRATIONS[version](schema))
      await client.query(`UPDATE ${schema}.schema_version SET version = $1`, [version + 1])
    }
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}

/** The schema's migration count, or undefined when Asteria never ran in it. */
export async function schemaVersion(pool: pg.Pool, schema: string): Promise<number | undefined> {
  const table = await pool.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [`${schema}.schema_version`])
  if (!table.rows[0]?.t) return undefined
  return (await pool.query<{ version: number }>(`SELECT version FROM ${schema}.schema_version`)).rows[0]?.version
}

async function ensureVectorExtension(pool: pg.Pool): Promise<void> {
  const present = await pool.query("SELECT 1 FROM pg_extension WHERE extname = 'vector'")
  if (present.rowCount) return
  try {
    await pool.query('CREATE EXTENSION IF NOT EXISTS vector')
  } catch (error) {
    // IF NOT EXISTS does not cover a creation under way: another machine created it at the same moment.
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) return
    throw new AsteriaError('STORE', `The shared cache needs the pgvector extension, and this user cannot create it (${(error as Error).message}).`, {
      suggestions: ['Ask a superuser (on a cloud PostgreSQL, its admin role) to run `CREATE EXTENSION vector;` in this database (every major cloud PostgreSQL offers pgvector).'],
      cause: error,
    })
  }
}

/** What `asteria doctor` reports of the shared tier (PostgresStore.describe). */
export interface PostgresDescription {
  serverVersion: string
  /** pgvector's version as created in this database, or null. */
  pgvector: string | null
  /** The version the server could create, or null when pgvector is not installed. */
  pgvectorAvailable: string | null
  superuser: boolean
  /** Present once pgvector is created and Asteria has run in the schema. */
  schema?: { version: number; vectorTables: { name: string; hnsw: boolean }[]; elements: number }
}

/**
 * What `asteria doctor` reports of the shared tier, read-only (no migration): the server and
 * pgvector (created in this database, or only available), whether the user may create it, and,
 * once pgvector is created, the schema version, each embedder's vector table with whether it has
 * a cosine HNSW index, and the element count. Driver errors are thrown as they come.
 */
export async function describePostgres(pool: pg.Pool, schema: string): Promise<PostgresDescription> {
  const { rows: [server] } = await pool.query<{ v: string; vector: string | null; available: string | null; superuser: boolean }>(
    `SELECT current_setting('server_version') AS v, (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS vector,
       (SELECT default_version FROM pg_available_extensions WHERE name = 'vector') AS available,
       (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser`,
  )
  const found = { serverVersion: server.v, pgvector: server.vector, pgvectorAvailable: server.available, superuser: server.superuser }
  if (server.vector === null) return found
  const version = await schemaVersion(pool, schema)
  if (version === undefined) return found
  const { rows: tables } = await pool.query<{ vector_table: string; hnsw: boolean }>(
    `SELECT e.vector_table, EXISTS (SELECT 1 FROM pg_indexes i WHERE i.schemaname = $1 AND i.tablename = e.vector_table
       AND i.indexdef ILIKE '%USING hnsw%vector_cosine_ops%') AS hnsw FROM ${schema}.embedders e`,
    [schema],
  )
  const { rows: [count] } = await pool.query<{ n: number }>(`SELECT count(*) AS n FROM ${schema}.elements`)
  return { ...found, schema: { version, vectorTables: tables.map((t) => ({ name: t.vector_table, hnsw: t.hnsw })), elements: count.n } }
}
