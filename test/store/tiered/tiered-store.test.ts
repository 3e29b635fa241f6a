import { beforeAll, describe, expect, it } from 'vitest'
import { SemanticCache } from '../../../src/core/cache/semantic-cache.js'
import { loadStaticEmbedder } from '../../../src/embed/static-embedder.js'
import type { Embedder } from '../../../src/core/ports/embedder.js'
import type { TieredStoreOptions } from '../../../src/store/tiered/tiered-store.js'
import { usePostgres } from '../../helpers/use-postgres.js'
import { startProxy, type CuttableProxy } from '../postgres/tcp-proxy.js'

let proxy: CuttableProxy
let embedder: Embedder
const postgres = usePostgres({ onStart: async (server) => (proxy = await startProxy(server.url)) })

beforeAll(async () => {
  embedder = await loadStaticEmbedder()
})

const docs = (text: string) => ({ documents: [{ id: text, text }] })

/** One machine: its own local cache file, the shared schema at `url`, a semantic cache on top. */
function machine(url: string, options: TieredStoreOptions = {}) {
  const warnings: string[] = []
  const store = postgres.tiered(url, { timeoutMs: 1000, onWarning: (message) => warnings.push(message), ...options }, { connectTimeoutMs: 1000 })
  const cache = new SemanticCache({ store, embedder })
  return { store, cache, warnings }
}

describe('TieredStore', () => {
  it('serves a paraphrase stored on one machine from the shared tier on another, then from its own hot tier', async () => {
    // Given two machines sharing one PostgreSQL, each with its own local file
    const url = postgres.freshUrl()
    const a = machine(url)
    const b = machine(proxy.via(url))
    await a.cache.store({ query: 'what is the capital of france', result: docs('Paris') })
    // When the other machine asks a paraphrase
    const first = await b.cache.lookup('tell me what the capital of france is')
    // Then it is a semantic hit on the element the first machine stored
    expect(first.decision).toMatchObject({ hit: true, kind: 'semantic' })
    expect(first.element?.result).toEqual(docs('Paris'))
    // And the element now lives in its hot tier with the shared tier's expiry, so it answers without PostgreSQL
    const [copy] = await b.store.local.all()
    const [original] = await a.store.shared.all()
    expect(copy).toMatchObject({ query: 'what is the capital of france', expiresAt: original.expiresAt, createdAt: original.createdAt })
    await b.store.settled()
    proxy.cut()
    expect((await b.cache.lookup('tell me what the capital of france is')).decision.hit).toBe(true)
  })

  it('keeps working on the local tier with one warning while PostgreSQL is down, and delivers the queue when it returns', async () => {
    // Given a machine whose shared tier goes away after one element was written through
    const url = postgres.freshUrl()
    const a = machine(proxy.via(url))
    const other = machine(url)
    await a.cache.store({ query: 'what is the capital of france', result: docs('Paris') })
    proxy.cut()
    // When it keeps answering and storing
    const hit = await a.cache.lookup('tell me what the capital of france is')
    const stored = await a.cache.store({ query: 'who wrote the play hamlet', result: docs('Shakespeare') })
    await a.cache.lookup('who wrote the play hamlet')
    await a.cache.fetchThrough('how tall is the eiffel tower', async () => ({ result: docs('330 m') }))
    await a.store.settled()
    // Then look-ups are served locally, new elements wait in the outbox, and it warned once, naming no password
    expect(hit.decision.hit).toBe(true)
    expect(a.store.pendingWrites()).toBe(2)
    expect(a.warnings).toHaveLength(1)
    expect(a.warnings[0]).toMatch(/Serving from the local cache at .*hot\.sqlite and queueing new elements/)
    expect(a.warnings[0]).not.toContain('pglite-test-secret')
    expect(await other.store.shared.findExact(stored.scopeKey, stored.normalizedQuery, 0)).toBeUndefined()
    // When PostgreSQL is back
    proxy.restore()
    const report = await a.store.syncNow()
    // Then the queued elements and the counts made meanwhile reach it (read before the other machine
    // counts its own look-up in the background), and another machine finds them
    expect(report).toMatchObject({ online: true, written: 2, pending: 0 })
    expect(await other.store.shared.counters('default')).toMatchObject({ stores: 3, remote_calls: 1, requests: 3 })
    expect((await other.cache.lookup('who wrote the play hamlet')).element?.result).toEqual(docs('Shakespeare'))
  })

  it('catches up by itself on the first call that reaches PostgreSQL again', async () => {
    // Given a machine that stored an element while its shared tier was down
    const url = postgres.freshUrl()
    const a = machine(proxy.via(url), { retryAfterMs: 0 })
    const other = machine(url)
    await a.cache.store({ query: 'what is the capital of france', result: docs('Paris') })
    proxy.cut()
    await a.cache.store({ query: 'who wrote the play hamlet', result: docs('Shakespeare') })
    expect(a.store.pendingWrites()).toBe(1)
    // When PostgreSQL returns and the machine simply goes on working
    proxy.restore()
    await a.cache.store({ query: 'how tall is the eiffel tower', result: docs('330 m') })
    await a.store.settled()
    // Then both the queued element and the new one reached it
    expect(a.store.pendingWrites()).toBe(0)
    expect((await other.cache.lookup('who wrote the play hamlet')).element?.result).toEqual(docs('Shakespeare'))
    expect((await other.cache.lookup('how tall is the eiffel tower')).element?.result).toEqual(docs('330 m'))
    expect(a.warnings).toHaveLength(1)
  })

  it('treats a shared tier that stops answering as down after the call timeout', async () => {
    const url = postgres.freshUrl()
    const a = machine(proxy.via(url), { timeoutMs: 300 })
    await a.cache.store({ query: 'what is the capital of france', result: docs('Paris') })
    proxy.stall()
    const hit = await a.cache.lookup('tell me what the capital of france is')
    expect(hit.decision.hit).toBe(true)
    expect(a.warnings).toEqual([expect.stringMatching(/did not answer within 300 ms/)])
  })

  it('replays a deletion the shared tier missed during an outage', async () => {
    const url = postgres.freshUrl()
    const a = machine(proxy.via(url))
    const stored = await a.cache.store({ query: 'what is the capital of france', result: docs('Paris') })
    proxy.cut()
    expect(await a.cache.invalidate('what is the capital of france')).toBe(1)
    proxy.restore()
    expect(await a.store.syncNow()).toMatchObject({ online: true, deleted: 1 })
    expect(await a.store.shared.findExact(stored.scopeKey, stored.normalizedQuery, -Infinity)).toBeUndefined()
  })

  it('deletes an answer everywhere from a machine that never used its cache before', async () => {
    // Given an answer stored on one machine, and a machine whose local file is new
    const url = postgres.freshUrl()
    const a = machine(url)
    const stored = await a.cache.store({ query: 'what is the capital of france', result: docs('Paris') })
    const b = machine(url)
    // When the new machine deletes it by its question
    expect(await b.cache.invalidate('what is the capital of france')).toBe(1)
    // Then the shared tier no longer has it
    expect(await b.store.shared.findExact(stored.scopeKey, stored.normalizedQuery, -Infinity)).toBeUndefined()
  })

  it('refuses to clear while the shared tier is unreachable, clearing nothing', async () => {
    const a = machine(proxy.via(postgres.freshUrl()))
    await a.cache.store({ query: 'what is the capital of france', result: docs('Paris') })
    proxy.cut()
    await expect(a.store.clear()).rejects.toThrow(/unreachable, so nothing was cleared/)
    expect(await a.store.local.all()).toHaveLength(1)
  })

  it('claims questions on the local file while the shared tier is down', async () => {
    const a = machine(proxy.via(postgres.freshUrl()))
    proxy.cut()
    const lease = await a.store.acquireLease('scope', 'who wrote hamlet', 60_000)
    expect(lease).not.toBeNull()
    expect(await a.store.local.acquireLease('scope', 'who wrote hamlet', 60_000)).toBeNull()
  })
})
