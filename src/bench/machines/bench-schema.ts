import { parseStoreUrl, redactStoreUrl } from '../../config/store-config.js'
import { openPostgresStore } from '../../store/postgres/postgres-store.js'

/** A schema of the bench's own in the user's database, so a team's cache is never touched. */
export interface BenchSchema {
  /** The store URL with `?schema=` set to the throwaway schema. */
  url: string
  schema: string
  /** The database, password redacted. */
  location: string
  drop(): Promise<void>
}

/**
 * Creates `asteria_bench_<pid>_<time>` in the database of `storeUrl` (any schema it names is
 * replaced) and migrates it, which also proves the server reachable before any machine starts.
 */
export async function openBenchSchema(storeUrl: string): Promise<BenchSchema> {
  const target = parseStoreUrl(storeUrl)
  const schema = `asteria_bench_${process.pid}_${Date.now().toString(36)}`
  const url = new URL(storeUrl)
  url.searchParams.set('schema', schema)
  const store = openPostgresStore(url.toString(), { max: 1 })
  try {
    await store.ensureReady()
  } catch (error) {
    await store.dropSchema().catch(() => undefined)
    await store.close()
    throw error
  }
  return {
    url: url.toString(),
    schema,
    location: redactStoreUrl(target.connectionString),
    drop: async () => {
      try {
        await store.dropSchema()
      } finally {
        await store.close()
      }
    },
  }
}
