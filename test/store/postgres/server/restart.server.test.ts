import { execFile } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { SemanticCache } from '../../../../src/core/cache/semantic-cache.js'
import { loadStaticEmbedder } from '../../../../src/embed/static-embedder.js'
import type { Embedder } from '../../../../src/core/ports/embedder.js'
import { describeOnRealPostgres } from '../../../helpers/real-postgres.js'
import { usePostgres } from '../../../helpers/use-postgres.js'

const SERVER_SCRIPT = fileURLToPath(new URL('../../../../scripts/pg-test-server.sh', import.meta.url))
const run = promisify(execFile)
const docs = (text: string) => ({ documents: [{ id: text, text }] })

describeOnRealPostgres('a shared tier whose PostgreSQL restarts mid-run', () => {
  // A cluster of this file's own (the shared test server must not go down under other files).
  let dir = ''
  const server = (command: 'start' | 'halt' | 'stop') => run(SERVER_SCRIPT, [command, dir])
  const postgres = usePostgres()
  let url = ''
  let unavailable = ''
  let embedder: Embedder
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'asteria-test-pg-'))
    const { stdout, stderr } = await server('start')
    url = stdout.trim()
    unavailable = stderr.trim()
    embedder = await loadStaticEmbedder()
  })
  afterAll(async () => {
    await server('stop')
  })

  function machine(retryAfterMs?: number) {
    const warnings: string[] = []
    const store = postgres.tiered(url, { retryAfterMs, timeoutMs: 10_000, onWarning: (message) => warnings.push(message) })
    return { store, cache: new SemanticCache({ store, embedder }), warnings }
  }

  it('answers from the local tier while the server is down, then delivers what it queued, losing nothing', async (context) => {
    context.skip(!url, `no PostgreSQL of its own to restart: ${unavailable}`)
    // Given two machines, one of which has stored an answer, both idle (their background updates done)
    const [a, b] = [machine(0), machine()]
    await a.cache.store({ query: 'what is the capital of france', result: docs('Paris') })
    await b.cache.lookup('what is the capital of france')
    await Promise.all([a.store.settled(), b.store.settled()])
    // When the server stops, and the first machine keeps looking up and storing
    await server('halt')
    const hit = await a.cache.lookup('tell me what the capital of france is')
    await a.cache.store({ query: 'who wrote the play hamlet', result: docs('Shakespeare') })
    // Then its local tier answers, the new answer waits in its queue, and it warned once
    expect(hit.element?.result).toEqual(docs('Paris'))
    expect(a.store.pendingWrites()).toBe(1)
    expect(a.warnings).toEqual([expect.stringMatching(/Serving from the local cache/)])
    // When the server is back and the machine simply goes on working
    await server('start')
    await a.cache.store({ query: 'how tall is the eiffel tower', result: docs('330 m') })
    await a.store.settled()
    // Then its queue was delivered, and the other machine, idle meanwhile, finds every answer without a warning
    expect(a.store.pendingWrites()).toBe(0)
    for (const [query, result] of [['who wrote the play hamlet', 'Shakespeare'], ['how tall is the eiffel tower', '330 m']]) {
      expect((await b.cache.lookup(query)).element?.result, b.warnings.join('\n')).toEqual(docs(result))
    }
    expect(await b.store.shared.counters('default')).toMatchObject({ stores: 3 })
    expect(b.warnings).toEqual([])
  })
})
