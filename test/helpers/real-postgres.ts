import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterEach, describe } from 'vitest'
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

/** The real server's URL for another database (and user). */
export function realPostgresUrlFor(database: string, user?: string): string {
  const url = new URL(realPostgresUrl()!)
  url.pathname = `/${database}`
  if (user) url.username = user
  return url.toString()
}

/** Runs `work` on a connection of the server's own user to `database`. */
export async function asAdmin<T>(work: (client: pg.Client) => Promise<T>, database = new URL(realPostgresUrl()!).pathname.slice(1)): Promise<T> {
  const client = new pg.Client({ connectionString: realPostgresUrlFor(database) })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** New databases (pgvector not created in them) and login roles on the real server, dropped after each test. */
export function useScratchObjects(): { database(): Promise<{ name: string; url: string }>; role(): Promise<string> } {
  const databases: string[] = []
  const roles: string[] = []
  afterEach(async () => {
    for (const name of databases.splice(0)) await asAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
    for (const name of roles.splice(0)) await asAdmin((client) => client.query(`DROP ROLE IF EXISTS ${name}`))
  })
  const fresh = async (kind: 'DATABASE' | 'ROLE', into: string[]) => {
    const name = `asteria_t_${randomBytes(6).toString('hex')}`
    into.push(name)
    await asAdmin((client) => client.query(`CREATE ${kind} ${name}${kind === 'ROLE' ? ' LOGIN' : ''}`))
    return name
  }
  return {
    database: async () => {
      const name = await fresh('DATABASE', databases)
      return { name, url: realPostgresUrlFor(name) }
    },
    role: () => fresh('ROLE', roles),
  }
}
