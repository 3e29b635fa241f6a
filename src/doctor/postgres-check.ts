import { parseStoreUrl } from '../config/store-config.js'
import { sharedStoreError } from '../store/postgres/connection.js'
import { POSTGRES_MIGRATIONS } from '../store/postgres/postgres-migrations.js'
import { openPostgresStore } from '../store/postgres/postgres-store.js'
import type { DoctorCheck } from './doctor-check.js'

/**
 * The shared tier, read-only: reachable, pgvector installed (0.5+ for HNSW, 0.8+ for filtered scans),
 * schema version, and a cosine HNSW index on every embedder's vector table. Never prints the
 * connection's password.
 */
export async function postgresCheck(storeUrl: string | undefined): Promise<DoctorCheck> {
  if (!storeUrl) {
    return {
      part: 'shared tier',
      status: 'embedded',
      detail: "none: this machine's cache file is the whole cache",
      fix: 'to share one cache across machines: asteria ... --store postgres://user:password@host:5432/db (PostgreSQL with pgvector)',
    }
  }
  let target
  try {
    target = parseStoreUrl(storeUrl)
  } catch (error) {
    return { part: 'shared tier', status: 'error', detail: (error as Error).message, fix: 'fix storeUrl / ASTERIA_STORE_URL / --store' }
  }
  const store = openPostgresStore(storeUrl, { max: 1, connectTimeoutMs: 3000 })
  const where = `${target.redacted} (schema ${target.schema})`
  try {
    const found = await store.describe()
    const server = { v: found.serverVersion, vector: found.pgvector, available: found.pgvectorAvailable, superuser: found.superuser }
    const absent = missingPgvector(`${where}: PostgreSQL ${server.v}`, server)
    if (absent) return absent
    const pgvector = server.vector!
    const base = `${where}: PostgreSQL ${server.v}, pgvector ${pgvector}`
    if (found.schema === undefined) return { part: 'shared tier', status: 'ok', detail: `${base}, schema created on first use` }
    const { version, vectorTables: tables, elements } = found.schema
    const missing = tables.filter((t) => !t.hnsw).map((t) => t.name)
    const detail = `${base}, schema ${version}/${POSTGRES_MIGRATIONS.length}, ${tables.length} embedder(s) with cosine HNSW indexes, ${elements} elements`
    if (missing.length > 0) {
      return { part: 'shared tier', status: 'error', detail: `${base}: no HNSW index on ${missing.join(', ')}`, fix: 'run any asteria command with --store to recreate it, or CREATE INDEX ... USING hnsw (embedding vector_cosine_ops)' }
    }
    return olderThan(pgvector, ITERATIVE_SCANS_SINCE)
      ? { part: 'shared tier', status: 'warn', detail: `${detail}; pgvector < 0.8 cannot keep scanning past other scopes' neighbours`, fix: 'ALTER EXTENSION vector UPDATE;' }
      : { part: 'shared tier', status: 'ok', detail }
  } catch (error) {
    return { part: 'shared tier', status: 'error', detail: sharedStoreError(target, error).message, fix: 'start PostgreSQL or check the host, port, user and password in storeUrl' }
  } finally {
    await store.close()
  }
}

const HNSW_SINCE = [0, 5]
const ITERATIVE_SCANS_SINCE = [0, 8]

function olderThan(version: string, [major, minor]: number[]): boolean {
  const [a, b] = version.split('.').map(Number)
  return a < major || (a === major && b < minor)
}

/**
 * What the server lacks for the shared tier's vectors, or undefined when pgvector is created in the
 * database: not installed, too old for HNSW (0.5), or installed but not created in this database
 * (Asteria creates it on first use when the user may; pgvector is not a trusted extension).
 */
function missingPgvector(base: string, found: { vector: string | null; available: string | null; superuser: boolean }): DoctorCheck | undefined {
  const version = found.vector ?? found.available
  if (version === null) {
    return { part: 'shared tier', status: 'error', detail: `${base} without pgvector`, fix: 'install pgvector 0.5 or later on the server (every major cloud PostgreSQL offers it)' }
  }
  if (olderThan(version, HNSW_SINCE)) {
    return { part: 'shared tier', status: 'error', detail: `${base}, pgvector ${version}: HNSW indexes need pgvector 0.5 or later`, fix: 'ALTER EXTENSION vector UPDATE;   (after upgrading pgvector on the server)' }
  }
  if (found.vector !== null) return undefined
  return found.superuser
    ? { part: 'shared tier', status: 'ok', detail: `${base}, pgvector ${version} available: created on first use` }
    : { part: 'shared tier', status: 'warn', detail: `${base}, pgvector ${version} available but not created in this database`, fix: 'CREATE EXTENSION vector;   (as a superuser, or your cloud\'s admin role; Asteria does it on first use when this user may)' }
}
