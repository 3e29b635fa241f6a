/**
 * One machine in the multi-process tests: its own local cache file, the shared PostgreSQL, a
 * semantic cache with the built-in embedder, and a knowledge source at SOURCE_URL (a loopback
 * server the test counts calls on). Driven by JSON lines on stdin; answers on stdout.
 */
import { createInterface } from 'node:readline'
import { SemanticCache } from '../../../src/core/cache/semantic-cache.js'
import { loadStaticEmbedder } from '../../../src/embed/static-embedder.js'
import { openPostgresStore } from '../../../src/store/postgres/postgres-store.js'
import { openStore } from '../../../src/store/sqlite/sqlite-store.js'
import { TieredStore } from '../../../src/store/tiered/tiered-store.js'

const { MACHINE_DB, STORE_URL, SOURCE_URL } = process.env as Record<string, string>
const embedder = await loadStaticEmbedder()
// Generous limits: ten processes share two cores here, and a slow call would (rightly) count as an outage.
const store = new TieredStore(openStore(MACHINE_DB), openPostgresStore(STORE_URL, { max: 2, connectTimeoutMs: 20_000 }), {
  timeoutMs: 20_000,
  firstContactTimeoutMs: 30_000,
  onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
})
const cache = new SemanticCache({ store, embedder })
await store.registerEmbedder({ fingerprint: embedder.fingerprint, model: embedder.model, dimensions: embedder.dimensions })
await store.shared.ensureReady()

const answer = (value: unknown) => process.stdout.write(JSON.stringify(value) + '\n')
const search = async (query: string) => {
  const response = await fetch(`${SOURCE_URL}?q=${encodeURIComponent(query)}`)
  return { result: await response.json(), costUsd: 0.005 }
}

answer({ ready: true })
for await (const line of createInterface({ input: process.stdin })) {
  const { op, query } = JSON.parse(line) as { op: string; query: string }
  if (op === 'fetch') {
    const r = await cache.fetchThrough(query, () => search(query))
    answer({ source: r.source, result: r.result })
  } else if (op === 'lookup') {
    const r = await cache.lookup(query)
    answer({ hit: r.decision.hit, result: r.element?.result ?? null })
  } else if (op === 'sync') {
    answer(await store.syncNow())
  } else {
    await cache.close()
    answer({ closed: true })
    break
  }
}
