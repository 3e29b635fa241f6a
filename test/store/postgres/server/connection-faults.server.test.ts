import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterEach, beforeAll, expect, it, vi } from 'vitest'
import { SemanticCache } from '../../../../src/core/cache/semantic-cache.js'
import type { Embedder } from '../../../../src/core/ports/embedder.js'
import { loadStaticEmbedder } from '../../../../src/embed/static-embedder.js'
import { describeOnRealPostgres } from '../../../helpers/real-postgres.js'
import { usePostgres } from '../../../helpers/use-postgres.js'

const docs = (text: string) => ({ documents: [{ id: text, text }] })
const QUESTION = 'what is the capital of france'

describeOnRealPostgres('a shared tier whose server cancels statements or drops connections', () => {
  const postgres = usePostgres()
  let embedder: Embedder
  let admin: pg.Client
  beforeAll(async () => {
    embedder = await loadStaticEmbedder()
  })
  afterEach(async () => {
    await admin?.end()
  })

  /** A connection of the test's own, as a DBA's: locks tables, terminates backends. */
  async function dba(): Promise<pg.Client> {
    admin = new pg.Client({ connectionString: postgres.url })
    await admin.connect()
    return admin
  }

  /** A machine whose connections carry `params` (application_name, options) in its store URL; after an outage it stays local 5 s. */
  function machine(url: string, params: Record<string, string> = {}) {
    const named = new URL(url)
    for (const [key, value] of Object.entries(params)) named.searchParams.set(key, value)
    const warnings: string[] = []
    const store = postgres.tiered(named.toString(), { timeoutMs: 10_000, onWarning: (message) => warnings.push(message) })
    return { store, cache: new SemanticCache({ store, embedder }), warnings }
  }

  /** A stored answer in a fresh schema, and a reader (named for pg_stat_activity) that has met the shared tier and is idle. */
  async function answerAndReader(params: Record<string, string> = {}) {
    const url = postgres.freshUrl()
    await machine(url).cache.store({ query: QUESTION, result: docs('Paris') })
    const application = `asteria_t_${randomBytes(4).toString('hex')}`
    const reader = machine(url, { application_name: application, ...params })
    await reader.cache.lookup('who wrote the play hamlet')
    await reader.cache.settle()
    await reader.store.settled()
    return { reader, application, schema: reader.store.shared.schema }
  }

  const backends = async (client: pg.Client, application: string, state?: string) =>
    (await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND ($2::text IS NULL OR state = $2)', [application, state ?? null])).rows.map((r) => r.pid)

  it('treats a statement the server cancelled (statement_timeout) as an outage of that call, and answers the next from the same pool', async () => {
    // Given a reader whose store URL sets statement_timeout, and a DBA holding a lock its look-up needs
    const { reader, schema } = await answerAndReader({ options: '-c statement_timeout=300' })
    const client = await dba()
    await client.query('BEGIN')
    await client.query(`LOCK TABLE ${schema}.elements IN ACCESS EXCLUSIVE MODE`)
    // When it looks the answer up
    const blocked = await reader.cache.lookup(QUESTION)
    // Then the server cancelled the wait, and the reader answered from its local tier (a miss) with one warning
    expect(blocked.decision.hit).toBe(false)
    expect(reader.warnings).toEqual([expect.stringMatching(/canceling statement due to statement timeout\. Serving from the local cache/)])
    // When the lock is released and the shared tier is tried again, the same pool answers
    await client.query('COMMIT')
    expect(await reader.store.syncNow()).toMatchObject({ online: true })
    expect((await reader.cache.lookup(QUESTION)).element?.result).toEqual(docs('Paris'))
  })

  it('opens new connections, without an outage, when its idle ones were terminated', async () => {
    // Given a reader with idle connections, all of which a DBA terminates
    const { reader, application } = await answerAndReader()
    const client = await dba()
    const idle = await backends(client, application, 'idle')
    expect(idle.length).toBeGreaterThan(0)
    await client.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [idle])
    await vi.waitFor(() => expect(reader.store.shared.pool.totalCount).toBe(0), { timeout: 10_000 })
    // When it looks the answer up
    const found = await reader.cache.lookup(QUESTION)
    // Then the shared tier answered on new connections, and nothing was reported
    expect(found.element?.result).toEqual(docs('Paris'))
    expect(reader.warnings).toEqual([])
    const now = await backends(client, application)
    expect(now.length).toBeGreaterThan(0)
    expect(now.filter((pid) => idle.includes(pid))).toEqual([])
  })

  it('treats a connection terminated mid-query as an outage of that call, and reconnects for the next', async () => {
    // Given a reader whose look-up waits on a DBA's lock
    const { reader, application, schema } = await answerAndReader()
    const client = await dba()
    await client.query('BEGIN')
    await client.query(`LOCK TABLE ${schema}.elements IN ACCESS EXCLUSIVE MODE`)
    const looking = reader.cache.lookup(QUESTION)
    let waiting: number[] = []
    await vi.waitFor(async () => {
      waiting = (await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", [application])).rows.map((r) => r.pid)
      expect(waiting).toHaveLength(1)
    }, { timeout: 10_000 })
    // When the DBA terminates that backend, then releases the lock
    await client.query('SELECT pg_terminate_backend($1)', [waiting[0]])
    const cut = await looking
    await client.query('COMMIT')
    // Then that look-up was answered locally (a miss) with one warning
    expect(cut.decision.hit).toBe(false)
    expect(reader.warnings).toEqual([expect.stringMatching(/terminating connection due to administrator command/)])
    // And once the shared tier is tried again, it answers on a new connection
    expect(await reader.store.syncNow()).toMatchObject({ online: true })
    expect((await reader.cache.lookup(QUESTION)).element?.result).toEqual(docs('Paris'))
  })
})
