import type pg from 'pg'
import type { SharedStoreTarget } from '../../config/store-config.js'
import { sharedStoreError, withoutNul } from './connection.js'
import { migratePostgres } from './postgres-migrate.js'

/**
 * One shared-tier database as the PostgreSQL stores use it: a pool, the schema, migrations run
 * once on first use (and retried after a failure), and every driver error turned into an
 * AsteriaError that names the server without its password.
 */
export class PostgresDatabase {
  readonly schema: string
  /** Migrations have run (or been found current) in this process. */
  isReady = false
  private ready: Promise<void> | undefined

  constructor(
    readonly pool: pg.Pool,
    readonly target: SharedStoreTarget,
  ) {
    this.schema = target.schema
  }

  ensureReady(): Promise<void> {
    this.ready ??= migratePostgres(this.pool, this.schema).then(
      () => void (this.isReady = true),
      (error: unknown) => {
        this.ready = undefined
        throw sharedStoreError(this.target, error)
      },
    )
    return this.ready
  }

  async sql<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    await this.ensureReady()
    try {
      return await this.pool.query<R>(text, withoutNul(params))
    } catch (error) {
      throw sharedStoreError(this.target, error)
    }
  }

  /** Runs `work` on one pooled connection (for per-connection settings), released afterwards. */
  async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.ensureReady()
    const client = await this.pool.connect().catch((error: unknown) => Promise.reject(sharedStoreError(this.target, error)))
    try {
      return await work(client)
    } catch (error) {
      throw sharedStoreError(this.target, error)
    } finally {
      client.release()
    }
  }

  inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      await client.query('BEGIN')
      try {
        const result = await work(client)
        await client.query('COMMIT')
        return result
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw error
      }
    })
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined)
  }
}
