import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { expect, it, vi } from 'vitest'
import { migratePostgres } from '../../../../src/store/postgres/postgres-migrate.js'
import { POSTGRES_MIGRATIONS } from '../../../../src/store/postgres/postgres-migrations.js'
import { asAdmin, describeOnRealPostgres, realPostgresUrlFor, useScratchObjects } from '../../../helpers/real-postgres.js'

const MIGRATE_SCRIPT = fileURLToPath(new URL('./migrate-process.ts', import.meta.url))

/** Starts a machine process that migrates `url` on "go"; resolves once it has connected and said ready. */
async function startMigrator(url: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', MIGRATE_SCRIPT], { env: { ...process.env, STORE_URL: url }, stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  expect((await lines.next()).value).toBe('ready')
  return {
    go: () => void child.stdin.write('go\n'),
    outcome: async () => {
      const line = (await lines.next()).value as string
      await once(child, 'close')
      return JSON.parse(line) as { ok: boolean; error?: string }
    },
  }
}

describeOnRealPostgres('migratePostgres on a real server', () => {
  const scratch = useScratchObjects()

  it.each([
    ['a new database, without pgvector yet', false],
    ['a database with pgvector, in a new schema', true],
  ])('creates pgvector, the schema and a vector table once when two machines start at once on %s', async (_, withPgvector) => {
    // Given two machines, loaded and connected to a new database
    const database = await scratch.database()
    if (withPgvector) await asAdmin((client) => client.query('CREATE EXTENSION vector'), database.name)
    const machines = await Promise.all([startMigrator(database.url), startMigrator(database.url)])
    // When both migrate and register their embedder at once
    for (const machine of machines) machine.go()
    const outcomes = await Promise.all(machines.map((machine) => machine.outcome()))
    // Then both succeed (a migration run twice would fail: its tables would exist already)
    expect(outcomes).toEqual([{ ok: true }, { ok: true }])
    // And the extension, the version row and the embedder exist once, at the latest version
    const state = await asAdmin(async (client) => ({
      extensions: (await client.query("SELECT extname FROM pg_extension WHERE extname = 'vector'")).rowCount,
      versions: (await client.query('SELECT version FROM asteria.schema_version')).rows,
      embedders: (await client.query('SELECT fingerprint FROM asteria.embedders')).rows,
    }), database.name)
    expect(state).toEqual({ extensions: 1, versions: [{ version: POSTGRES_MIGRATIONS.length }], embedders: [{ fingerprint: 'test:unit3' }] })
  })

  it('uses the schema another machine committed while it waited for the migration lock', async () => {
    // Given a machine whose connection once ran CREATE EXTENSION (after which PostgreSQL's
    // CREATE SCHEMA IF NOT EXISTS can miss a schema committed while it waited), on a new database
    const database = await scratch.database()
    const pool = new pg.Pool({ connectionString: database.url, max: 1 })
    await pool.query('CREATE EXTENSION IF NOT EXISTS vector')
    // And another machine holding the migration lock, its schema created but not committed
    const other = new pg.Client({ connectionString: database.url })
    await other.connect()
    await other.query('BEGIN')
    await other.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['asteria:migrate:asteria'])
    await other.query('CREATE SCHEMA asteria')
    await other.query('CREATE TABLE asteria.schema_version (version INTEGER NOT NULL)')
    await other.query('INSERT INTO asteria.schema_version (version) VALUES ($1)', [POSTGRES_MIGRATIONS.length])
    try {
      // When the first machine migrates, waits for that lock, and the other machine commits
      const migrating = migratePostgres(pool, 'asteria')
      await vi.waitFor(async () => {
        const waiting = await other.query("SELECT 1 FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE d.datname = $1 AND l.locktype = 'advisory' AND NOT l.granted", [database.name])
        expect(waiting.rowCount).toBe(1)
      }, { timeout: 10_000 })
      await other.query('COMMIT')
      // Then it finds the schema current rather than colliding with it
      await expect(migrating).resolves.toBeUndefined()
    } finally {
      await other.end()
      await pool.end()
    }
  })

  it('works in a schema a DBA created for a user who may not create schemas or extensions', async () => {
    // Given a database with pgvector where only the DBA may create things, and a schema the DBA made for the agent
    const { name } = await scratch.database()
    const agent = await scratch.role()
    await asAdmin(async (client) => {
      await client.query('CREATE EXTENSION vector')
      await client.query(`REVOKE CREATE ON DATABASE ${name} FROM PUBLIC`)
      await client.query(`CREATE SCHEMA team_a AUTHORIZATION ${agent}`)
    }, name)
    // When the agent's machine starts there
    const url = new URL(realPostgresUrlFor(name, agent))
    url.searchParams.set('schema', 'team_a')
    const outcome = await startMigrator(url.toString()).then(async (machine) => (machine.go(), machine.outcome()))
    // Then it migrated the schema and registered its embedder
    expect(outcome).toEqual({ ok: true })
    const embedders = await asAdmin((client) => client.query('SELECT fingerprint FROM team_a.embedders'), name)
    expect(embedders.rows).toEqual([{ fingerprint: 'test:unit3' }])
  })
})
