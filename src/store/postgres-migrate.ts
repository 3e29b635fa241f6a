import type pg from 'pg'
import { AsteriaError } from '../core/errors.js'
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js'

/** SQLSTATEs of a catalog object created twice: unique_violation, duplicate_schema, duplicate_table, duplicate_object. */
const CREATED_TWICE = new Set(['23505', '42P06', '42P07', '42710'])
const ATTEMPTS = 3

function createdTwice(error: unknown): boolean {
  return CREATED_TWICE.has((error as { code?: string }).code ?? '')
}

/**
 * Brings the schema up to date. Machines starting at once queue on a transaction-scoped
 * advisory lock, and each re-reads the version under it, so every migration runs once. A
 * transaction that began before another machine's migration committed may still miss the new
 * schema in PostgreSQL's catalog caches (so IF NOT EXISTS collides with it): it is retried in a
 * new transaction, which sees it.
 */
export async function migratePostgres(pool: pg.Pool, schema: string): Promise<void> {
  await ensureVectorExtension(pool)
  for (let attempt = 1; ; attempt++) {
    if ((await schemaVersion(pool, schema)) === POSTGRES_MIGRATIONS.length) return
    try {
      return await migrateUnderLock(pool, schema)
    } catch (error) {
      if (attempt === ATTEMPTS || !createdTwice(error)) throw error
    }
  }
}

async function migrateUnderLock(pool: pg.Pool, schema: string): Promise<void> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`asteria:migrate:${schema}`])
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
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
    if (createdTwice(error)) return
    throw new AsteriaError('STORE', `The shared cache needs the pgvector extension, and this user cannot create it (${(error as Error).message}).`, {
      suggestions: ['Ask a superuser (on a cloud PostgreSQL, its admin role) to run `CREATE EXTENSION vector;` in this database (every major cloud PostgreSQL offers pgvector).'],
      cause: error,
    })
  }
}
