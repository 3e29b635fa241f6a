/**
 * One machine starting on the shared tier at STORE_URL: connects and says "ready", then on the line "go" migrates
 * and registers an embedder (its vector table), prints `{ ok: true }` or the error, and exits
 * (see migrations.server.test.ts).
 */
import { createInterface } from 'node:readline'
import { openPostgresStore } from '../../../../src/store/postgres/postgres-store.js'

const store = openPostgresStore(process.env.STORE_URL!, { max: 1 })
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]()
// Connected before "go", so that both machines' first statements reach the server together.
await store.pool.query('SELECT 1')
process.stdout.write('ready\n')
await lines.next()
const outcome = await store.registerEmbedder({ fingerprint: 'test:unit3', model: 'unit', dimensions: 3 }).then(() => ({ ok: true }), (error: Error) => ({ ok: false, error: error.message }))
process.stdout.write(JSON.stringify(outcome) + '\n')
await store.close()
process.exit(0)
