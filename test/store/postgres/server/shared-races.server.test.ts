import { beforeAll, expect, it, vi } from 'vitest'
import type { Lease } from '../../../../src/core/ports/cache-store.js'
import { SemanticCache } from '../../../../src/core/cache/semantic-cache.js'
import type { Embedder } from '../../../../src/core/ports/embedder.js'
import { loadStaticEmbedder } from '../../../../src/embed/static-embedder.js'
import { createGate } from '../../../helpers/ollama-server.js'
import { describeOnRealPostgres } from '../../../helpers/real-postgres.js'
import { usePostgres } from '../../../helpers/use-postgres.js'

const docs = (text: string) => ({ documents: [{ id: text, text }] })

describeOnRealPostgres('machines racing on one shared tier (real PostgreSQL, a backend per connection)', () => {
  const postgres = usePostgres()
  let embedder: Embedder
  beforeAll(async () => {
    embedder = await loadStaticEmbedder()
  })

  /** One machine: its own local file and its own pool over the shared schema at `url` (a slow call is no outage here). */
  function machine(url: string) {
    const warnings: string[] = []
    const store = postgres.tiered(url, { timeoutMs: 10_000, onWarning: (message) => warnings.push(message) })
    return { store, cache: new SemanticCache({ store, embedder }), warnings }
  }

  it('makes one remote call when two machines miss the same question at once, and answers both', async () => {
    // Given two machines on separate pools, and a source that answers only once the question was
    // claimed by one machine and refused to the other (or once it was called twice: the bug)
    const url = postgres.freshUrl()
    const machines = [machine(url), machine(url)]
    const refused = createGate()
    for (const { store } of machines) {
      const acquire = store.acquireLease.bind(store)
      vi.spyOn(store, 'acquireLease').mockImplementation(async (...args): Promise<Lease | null> => {
        const lease = await acquire(...args)
        if (!lease) refused.open()
        return lease
      })
    }
    const calls: string[] = []
    const calledTwice = createGate()
    const source = async () => {
      calls.push('who painted the mona lisa')
      if (calls.length === 2) calledTwice.open()
      await Promise.race([refused.promise, calledTwice.promise])
      return { result: docs('Leonardo da Vinci') }
    }
    // When both ask it at the same moment
    const answers = await Promise.all(machines.map(({ cache }) => cache.fetchThrough('who painted the mona lisa', source)))
    // Then the source was called once, and both got its answer
    expect(calls).toHaveLength(1)
    expect(answers.map((a) => a.source).sort()).toEqual(['coalesced', 'remote'])
    expect(answers.map((a) => a.result)).toEqual([docs('Leonardo da Vinci'), docs('Leonardo da Vinci')])
    expect(machines.flatMap((m) => m.warnings)).toEqual([])
  })

  it('serves a third machine nothing, and no error, when another deletes an answer between its look-up and its copy', async () => {
    // Given an answer written through by one machine
    const url = postgres.freshUrl()
    const [writer, deleter, reader] = [machine(url), machine(url), machine(url)]
    await writer.cache.store({ query: 'who painted the mona lisa', result: docs('Leonardo da Vinci') })
    // And a second machine that deletes it everywhere right after the third has found it in the
    // shared tier, before the third has copied its vector
    const fetchVectors = reader.store.shared.embeddings.bind(reader.store.shared)
    const deletions: number[] = []
    vi.spyOn(reader.store.shared, 'embeddings').mockImplementation(async (...args) => {
      if (deletions.length === 0) deletions.push(await deleter.cache.invalidate('who painted the mona lisa'))
      return fetchVectors(...args)
    })
    // When the third machine reads it
    const read = await reader.cache.lookup('who painted the mona lisa')
    // Then it was deleted once, the reader got a miss (not half an element), and nobody saw an outage
    expect(deletions).toEqual([1])
    expect(read.decision.hit).toBe(false)
    expect(await reader.store.local.all()).toEqual([])
    expect(reader.store.sharedOnline).toBe(true)
    expect([writer, deleter, reader].flatMap((m) => m.warnings)).toEqual([])
    // And the shared tier keeps neither the element nor its vector
    const shared = reader.store.shared
    const [{ vector_table: vectors }] = (await shared.pool.query(`SELECT vector_table FROM ${shared.schema}.embedders`)).rows
    const left = await shared.pool.query(`SELECT (SELECT count(*) FROM ${shared.schema}.elements)::int AS elements, (SELECT count(*) FROM ${shared.schema}.${vectors})::int AS vectors`)
    expect(left.rows).toEqual([{ elements: 0, vectors: 0 }])
  })
})
