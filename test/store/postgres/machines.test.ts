import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { useTempDirs } from '../../helpers/temp-dir.js'
import { usePostgres } from '../../helpers/use-postgres.js'
import { startCountingSource, startMachine, type CountingSource, type Machine } from './machines.js'
import { startProxy, type CuttableProxy } from './tcp-proxy.js'

// Several OS processes stand in for machines: each has its own local cache file; they share one PostgreSQL.
let proxy: CuttableProxy
let source: CountingSource
const tempDir = useTempDirs()
const postgres = usePostgres({ onStart: async (server) => (proxy = await startProxy(server.url)) })

beforeAll(async () => {
  source = await startCountingSource(200)
})
afterEach(() => {
  source.calls.length = 0
  source.delayMs = 200
})
afterAll(async () => {
  await source?.close()
})

async function machinesOn(url: string, count: number): Promise<Machine[]> {
  const started = await Promise.all(
    Array.from({ length: count }, () => startMachine({ MACHINE_DB: join(tempDir(), 'cache.sqlite'), STORE_URL: url, SOURCE_URL: source.url })),
  )
  for (const m of started) postgres.track({ close: () => m.send('exit').then(() => undefined, () => m.kill()) })
  return started
}

describe('machines sharing one PostgreSQL', () => {
  it('serve a paraphrase stored by one machine as a hit on another', async () => {
    // Given two machines, each with its own local cache
    const [a, b] = await machinesOn(postgres.freshUrl(), 2)
    // When the first answers a question and the second asks a paraphrase
    const first = await a.send('fetch', 'what is the capital of france')
    const second = await b.send('fetch', 'tell me what the capital of france is')
    // Then the second is served from the cache with the first one's answer: one remote call in all
    expect(first.source).toBe('remote')
    expect(second).toEqual({ source: 'cache', result: first.result })
    expect(source.calls).toEqual(['what is the capital of france'])
  })

  it('make one remote call when four of them miss the same question at the same moment', async () => {
    // Given four machines, connected and idle (more only make the test slower: each is a process)
    const four = await machinesOn(postgres.freshUrl(), 4)
    // When all of them ask the same new question at once, while the source takes 3 s to answer
    // (long enough for all four to miss before the first call returns, even on a busy machine)
    source.delayMs = 3000
    const answers = await Promise.all(four.map((m) => m.send('fetch', 'who painted the mona lisa')))
    // Then the source was called once; one machine fetched, three waited for its stored answer
    const stderr = four.map((m) => m.stderr()).join('')
    expect(source.calls, stderr).toEqual(['who painted the mona lisa'])
    expect(answers.filter((a) => a.source === 'remote'), stderr).toHaveLength(1)
    expect(answers.filter((a) => a.source === 'coalesced'), stderr).toHaveLength(3)
    for (const a of answers) expect(a.result).toEqual(answers[0].result)
  })

  it('keep answering locally with one warning while PostgreSQL is down, and deliver new elements when it is back', async () => {
    // Given a machine whose PostgreSQL goes away mid-run, and another that stays connected
    const url = postgres.freshUrl()
    const [a] = await machinesOn(proxy.via(url), 1)
    const [b] = await machinesOn(url, 1)
    await a.send('fetch', 'what is the capital of france')
    proxy.cut()
    // When it keeps looking up and fetching
    const local = await a.send('lookup', 'tell me what the capital of france is')
    const fresh = await a.send('fetch', 'who wrote the play hamlet')
    const again = await a.send('fetch', 'who wrote the play hamlet')
    // Then look-ups are served from its local tier, and it warned exactly once
    expect(local.hit).toBe(true)
    expect([fresh.source, again.source]).toEqual(['remote', 'cache'])
    expect(a.stderr().match(/^warning: /gm)).toHaveLength(1)
    expect(a.stderr()).toMatch(/Serving from the local cache/)
    // When PostgreSQL is back
    proxy.restore()
    expect(await a.send('sync')).toMatchObject({ online: true, written: 1, pending: 0 })
    // Then the element stored during the outage is a hit on the other machine
    expect(await b.send('fetch', 'who wrote the play hamlet')).toEqual({ source: 'cache', result: fresh.result })
    expect(source.calls).toEqual(['what is the capital of france', 'who wrote the play hamlet'])
  })
})
