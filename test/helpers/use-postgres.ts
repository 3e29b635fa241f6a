import { join } from 'node:path'
import { afterAll, afterEach, beforeAll } from 'vitest'
import type { PoolOptions } from '../../src/store/postgres/connection.js'
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/postgres-store.js'
import { openStore } from '../../src/store/sqlite/sqlite-store.js'
import { TieredStore, type TieredStoreOptions } from '../../src/store/tiered/tiered-store.js'
import { startTestPostgres, type TestPostgres } from './pglite-server.js'
import { useTempDirs } from './temp-dir.js'

interface Closable {
  close(): Promise<void>
}

/** Something a test file runs beside the server, such as a cuttable proxy in front of it. */
export interface PostgresCompanion extends Closable {
  /** Undoes what a test did to it. */
  restore(): void
}

export interface UsePostgresOptions {
  /** Connections each store opened here may hold (default 2). */
  max?: number
  /** Starts a companion once the server is up; it is restored after each test before the stores close, and closed before the server. */
  onStart?(server: TestPostgres): Promise<PostgresCompanion>
}

export interface PostgresFixture {
  /** The server's URL, without a schema. */
  readonly url: string
  /** A URL whose schema no other test uses. */
  freshUrl(): string
  /** Closes `store` after the test. */
  track<T extends Closable>(store: T): T
  /** A PostgresStore on `url` (a fresh schema by default), closed after the test. */
  shared(url?: string): PostgresStore
  /** One machine: its own local file in a new folder over the shared schema at `url`, closed after the test. */
  tiered(url: string, options?: TieredStoreOptions, pool?: PoolOptions): TieredStore
}

/**
 * One test PostgreSQL for the whole file (see pglite-server.ts), started before its first test and
 * closed after its last. Call it after the file's own useTempDirs: after-hooks run in reverse, so
 * stores close before those folders go.
 */
export function usePostgres({ max = 2, onStart }: UsePostgresOptions = {}): PostgresFixture {
  const tempDir = useTempDirs()
  const opened: Closable[] = []
  let server: TestPostgres | undefined
  let companion: PostgresCompanion | undefined

  beforeAll(async () => {
    server = await startTestPostgres()
    companion = await onStart?.(server)
  })
  afterEach(async () => {
    companion?.restore()
    for (const store of opened.splice(0)) await store.close()
  })
  afterAll(async () => {
    await companion?.close()
    await server?.close()
  })

  const current = () => {
    if (!server) throw new Error('usePostgres: the server starts in beforeAll; use it inside a test')
    return server
  }
  const track = <T extends Closable>(store: T): T => {
    opened.push(store)
    return store
  }
  return {
    get url() {
      return current().url
    },
    freshUrl: () => current().freshUrl(),
    track,
    shared: (url = current().freshUrl()) => track(openPostgresStore(url, { max })),
    tiered: (url, options, pool) => track(new TieredStore(openStore(join(tempDir(), 'hot.sqlite')), openPostgresStore(url, { max, ...pool }), options)),
  }
}
