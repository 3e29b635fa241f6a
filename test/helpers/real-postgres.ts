import { describe } from 'vitest'
import { TEST_PG_URL_ENV } from './pglite-server.js'

export const NO_REAL_POSTGRES = `no real PostgreSQL: ${TEST_PG_URL_ENV} is not set (scripts/pg-test-server.sh starts one; .ci/run does), so the shared-tier tests ran on PGlite only`

/** The real PostgreSQL with pgvector named by ASTERIA_TEST_PG_URL, or undefined. */
export function realPostgresUrl(): string | undefined {
  return process.env[TEST_PG_URL_ENV] || undefined
}

/**
 * A suite that only a real server makes honest (separate backends, real locks): skipped, hooks and
 * all, without ASTERIA_TEST_PG_URL (the `postgres` test project prints why once per run).
 */
export function describeOnRealPostgres(name: string, body: () => void): void {
  const suite = realPostgresUrl() ? describe : describe.skip
  suite(name, body)
}
