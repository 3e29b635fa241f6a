import { writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { SessionInfo, SessionLookup, SessionSummary, SessionTask } from '../../../src/core/ports/session-log.js'
import { openSessionLog, PostgresSessionLog } from '../../../src/store/session-store.js'
import { TieredSessionLog } from '../../../src/store/tiered/tiered-session-log.js'
import type { TieredStoreOptions } from '../../../src/store/tiered/tiered-store.js'
import type { sessionJson, sessionListJson } from '../../../src/report/session-json.js'
import { element, EMBEDDER, vec } from './cache-store-contract.js'
import { useCliSandbox } from '../../helpers/run-cli.js'
import { usePostgres } from '../../helpers/use-postgres.js'
import { startProxy, type CuttableProxy } from './tcp-proxy.js'

let proxy: CuttableProxy
const postgres = usePostgres({ onStart: async (server) => (proxy = await startProxy(server.url)) })

const INFO: SessionInfo = {
  startedAt: 1_700_000_000_000, namespace: 'team-a', agent: 'replay', agentNote: 'Ollama is not reachable', taskSet: 'search-disflqa',
  sources: { search: 'local@simulated-region' }, embedder: 'static:x', policy: 'guard',
}

const lookup = (seq: number, taskSeq = 1): SessionLookup => ({
  seq, taskSeq, tool: 'search', query: `question ${seq}`, args: { k: 3 }, outcome: seq % 2 ? 'miss' : 'semantic', elementId: seq, prefetched: false,
  latencyMs: 2.5, remoteLatencyMs: 410, costUsd: 0.005, savedCostUsd: 0, savedLatencyMs: 0, judgeMs: null,
  decision: { hit: false, reason: 'no candidate' } as unknown as SessionLookup['decision'], error: null, at: INFO.startedAt + seq,
})

const task = (seq: number): SessionTask => ({
  seq, id: `t${seq}`, kind: 'search', question: `Task ${seq}?`, agent: 'replay', answer: 'Top passage: ...', correct: true, lookups: 1, steps: 0, durationMs: 3.5, error: null,
})

const SUMMARY = { tasks: 1, requests: 3 } as SessionSummary

/** One machine: its own local cache file and a tiered store on the shared schema at `url`. */
function machine(url: string, options: TieredStoreOptions = {}) {
  const notices: string[] = []
  const store = postgres.tiered(url, { timeoutMs: 1000, onWarning: (message) => notices.push(message), ...options }, { connectTimeoutMs: 1000 })
  return { store, log: openSessionLog(store), notices }
}

describe('PostgresSessionLog', () => {
  it('stores a session with its tasks and look-ups and reads them back exactly, naming the machine that ran it', async () => {
    // Given a session log on a shared schema
    const store = postgres.shared()
    const log = openSessionLog(store)
    expect(log).toBeInstanceOf(PostgresSessionLog)
    // When a session is started, recorded (a look-up delivered twice) and finished
    const id = await log.start(INFO)
    await log.recordLookup(id, lookup(2))
    await log.recordLookup(id, lookup(1))
    await log.recordLookup(id, { ...lookup(1), query: 'sent again' })
    await log.recordTask(id, task(1))
    await log.recordTask(id, { ...task(2), correct: null, error: 'boom' })
    await log.finish(id, INFO.startedAt + 5000, 'finished', SUMMARY)
    // Then it reads back exactly, in sequence order, the repeated delivery ignored
    const detail = await log.get(id)
    expect(detail?.session).toEqual({ ...INFO, machine: hostname(), id, finishedAt: INFO.startedAt + 5000, status: 'finished', summary: SUMMARY })
    expect(detail?.lookups).toEqual([lookup(1), lookup(2)])
    expect(detail?.tasks).toEqual([task(1), { ...task(2), correct: null, error: 'boom' }])
    const { rows } = await store.pool.query(`SELECT machine FROM ${store.schema}.sessions WHERE id = $1`, [id])
    expect(rows).toEqual([{ machine: hostname() }])
    expect(await log.get(id + 1)).toBeUndefined()
  })

  it('lists newest first, by namespace, up to a limit; an upload retried with its key stays one session', async () => {
    const log = new PostgresSessionLog(postgres.shared().db)
    const first = await log.start(INFO, 'key-1')
    const second = await log.start({ ...INFO, namespace: 'team-b' })
    expect(await log.start(INFO, 'key-1')).toBe(first)
    const third = await log.start(INFO)
    expect((await log.list()).map((s) => s.id)).toEqual([third, second, first])
    expect((await log.list({ namespace: 'team-a', limit: 5 })).map((s) => [s.id, s.status, s.summary])).toEqual([[third, 'running', null], [first, 'running', null]])
    expect((await log.list({ limit: 1 })).map((s) => s.id)).toEqual([third])
  })
})

describe('TieredSessionLog', () => {
  it('stores text with NUL characters without the shared tier counting it as an outage', async () => {
    // Given a machine on a shared tier, and an answer and a question holding NUL characters (PostgreSQL text cannot)
    const url = postgres.freshUrl()
    const a = machine(url)
    const id = await a.log.start(INFO)
    // When the session records them and the cache stores an element with such a question
    await a.log.recordTask(id, { ...task(1), answer: 'a\u0000b' })
    await a.log.recordLookup(id, { ...lookup(1), query: 'who\u0000 wrote it' })
    await a.store.registerEmbedder(EMBEDDER)
    await a.store.insert([{ element: element('nul\u0000 question', 's'), embedding: vec(1, 0, 0) }])
    // Then everything reached PostgreSQL with the NULs removed, and the shared tier stayed online
    expect(a.store.sharedOnline).toBe(true)
    expect(a.notices).toEqual([])
    const shown = await machine(url).log.get(id)
    expect([shown?.tasks[0].answer, shown?.lookups[0].query]).toEqual(['ab', 'who wrote it'])
    expect((await a.store.shared.all()).map((e) => e.query)).toEqual(['nul question'])
  })

  it('records a session in the shared tier under a shared id: another machine lists and shows it', async () => {
    // Given two machines, each with its own local file, sharing one PostgreSQL
    const url = postgres.freshUrl()
    const a = machine(url)
    const b = machine(url)
    expect(a.log).toBeInstanceOf(TieredSessionLog)
    await b.log.finish(await b.log.start({ ...INFO, taskSet: 'earlier on b' }), INFO.startedAt + 1, 'finished', SUMMARY)
    // When machine A runs a session
    const id = await a.log.start(INFO)
    for (const seq of [1, 2, 3]) await a.log.recordLookup(id, lookup(seq))
    await a.log.recordTask(id, task(1))
    await a.log.finish(id, INFO.startedAt + 5000, 'finished', SUMMARY)
    // Then machine B lists both machines' sessions and shows A's by the id A was given
    expect((await b.log.list()).map((s) => [s.id, s.taskSet])).toEqual([[id, 'search-disflqa'], [id - 1, 'earlier on b']])
    expect(await b.log.get(id)).toEqual({
      session: { ...INFO, machine: hostname(), id, finishedAt: INFO.startedAt + 5000, status: 'finished', summary: SUMMARY },
      tasks: [task(1)],
      lookups: [lookup(1), lookup(2), lookup(3)],
    })
    // And A's local file keeps its own copy, with nothing left to deliver
    expect(a.store.local.db.prepare('SELECT count(*) AS n FROM session_outbox').get()).toEqual({ n: 0 })
    expect(a.notices).toEqual([])
  })

  it('loses none of a session\'s records when PostgreSQL goes away mid-session, and delivers them when it returns', async () => {
    // Given a session started while PostgreSQL answers, with one look-up recorded there
    const url = postgres.freshUrl()
    const a = machine(proxy.via(url))
    const other = machine(url)
    const id = await a.log.start(INFO)
    await a.log.recordLookup(id, lookup(1))
    // When PostgreSQL goes away and the session goes on to its end
    proxy.cut()
    for (const seq of [2, 3]) await a.log.recordLookup(id, lookup(seq))
    await a.log.recordTask(id, task(1))
    await a.log.finish(id, INFO.startedAt + 5000, 'finished', SUMMARY)
    // Then the shared tier has only what it received, this machine still shows the whole session, and one warning was given
    expect(await other.log.get(id)).toMatchObject({ session: { status: 'running' }, lookups: [lookup(1)], tasks: [] })
    expect(await a.log.get(id)).toMatchObject({ session: { id, status: 'finished' }, lookups: [lookup(1), lookup(2), lookup(3)], tasks: [task(1)] })
    expect(a.notices).toEqual([expect.stringMatching(/Serving from the local cache/)])
    // When PostgreSQL is back and the tiered store catches up
    proxy.restore()
    expect(await a.store.syncNow()).toMatchObject({ online: true })
    // Then the rest of the session reached it, and nothing is left queued
    expect(await other.log.get(id)).toEqual({
      session: { ...INFO, machine: hostname(), id, finishedAt: INFO.startedAt + 5000, status: 'finished', summary: SUMMARY },
      tasks: [task(1)],
      lookups: [lookup(1), lookup(2), lookup(3)],
    })
    expect(a.store.local.db.prepare('SELECT count(*) AS n FROM session_outbox').get()).toEqual({ n: 0 })
  })

  it('delivers the queue by itself on the next session call that reaches PostgreSQL again', async () => {
    // Given a session whose second look-up was recorded while PostgreSQL was away
    const url = postgres.freshUrl()
    const a = machine(proxy.via(url), { retryAfterMs: 0 })
    const other = machine(url)
    const id = await a.log.start(INFO)
    proxy.cut()
    await a.log.recordLookup(id, lookup(1))
    // When PostgreSQL returns and the session simply goes on
    proxy.restore()
    await a.log.recordLookup(id, lookup(2))
    await a.store.settled()
    // Then the queued look-up reached it too
    expect((await other.log.get(id))?.lookups).toEqual([lookup(1), lookup(2)])
  })

  it('records a session started while PostgreSQL is down in the local file, and uploads it under a shared id later', async () => {
    // Given a machine whose shared tier is down, and another machine that already recorded a session
    const url = postgres.freshUrl()
    const other = machine(url)
    const earlier = await other.log.start({ ...INFO, taskSet: 'earlier' })
    const a = machine(proxy.via(url), { retryAfterMs: 0 })
    proxy.cut()
    // When a session runs from start to end
    const localId = await a.log.start(INFO)
    for (const seq of [1, 2]) await a.log.recordLookup(localId, lookup(seq))
    await a.log.recordTask(localId, task(1))
    await a.log.finish(localId, INFO.startedAt + 5000, 'finished', SUMMARY)
    // Then it ran under a local id, said so, and this machine lists and shows it from its file
    expect(a.notices).toEqual([
      expect.stringMatching(/Serving from the local cache/),
      `Session ${localId} is recorded in ${a.store.local.location} only for now; it is uploaded to the shared cache, under a new id, when that is back.`,
    ])
    expect((await a.log.list()).map((s) => [s.id, s.status])).toEqual([[localId, 'finished']])
    expect((await a.log.get(localId))?.lookups).toEqual([lookup(1), lookup(2)])
    // When PostgreSQL is back and this machine lists its sessions
    proxy.restore()
    const listed = await a.log.list()
    // Then the session was uploaded first, under a new shared id it announced, with everything it recorded
    expect(listed.map((s) => s.taskSet)).toEqual(['search-disflqa', 'earlier'])
    const sharedId = listed[0].id
    expect(sharedId).toBe(earlier + 1)
    expect([a.log.currentId!(localId), a.log.currentId!(sharedId + 1000)]).toEqual([sharedId, sharedId + 1000])
    expect(a.notices[2]).toBe(`Session ${localId}, recorded in ${a.store.local.location} while the shared cache was away, is now session ${sharedId} there.`)
    expect(await other.log.get(sharedId)).toEqual({
      session: { ...INFO, machine: hostname(), id: sharedId, finishedAt: INFO.startedAt + 5000, status: 'finished', summary: SUMMARY },
      tasks: [task(1)],
      lookups: [lookup(1), lookup(2)],
    })
    // And offline, this machine now shows it by its shared id
    proxy.cut()
    expect((await a.log.get(sharedId))?.session.id).toBe(sharedId)
  })

  it('keeps one shared session when a start that timed out did reach PostgreSQL after all', async () => {
    // Given a machine connected to the shared tier, which then stops answering
    const url = postgres.freshUrl()
    const other = machine(url)
    const a = machine(proxy.via(url), { timeoutMs: 300, retryAfterMs: 0 })
    expect(await a.log.list()).toEqual([])
    proxy.stall()
    // When a session starts (the insert is held past the timeout), then the held insert arrives and the store catches up
    const localId = await a.log.start(INFO)
    await a.log.recordLookup(localId, lookup(1))
    proxy.restore()
    await a.store.syncNow()
    // Then PostgreSQL holds the session once, with its look-up
    const sessions = await other.log.list()
    expect(sessions.map((s) => s.taskSet)).toEqual(['search-disflqa'])
    expect((await other.log.get(sessions[0].id))?.lookups).toEqual([lookup(1)])
  })
})

describe('asteria run and asteria sessions with --store', () => {
  const cli = useCliSandbox()

  it('shows a session run on one machine from another machine\'s cache file, by the same id', async () => {
    // Given a shared schema and a task file
    const url = postgres.freshUrl()
    const tasks = join(cli.dir, 'tasks.jsonl')
    writeFileSync(tasks, ['who wrote hamlet', 'what is the capital of france'].map((q, i) => JSON.stringify({ id: `t${i + 1}`, kind: 'search', question: q, plan: [q] })).join('\n'))
    // When one machine runs the tasks against it, and another (its own --db) lists and shows its sessions
    const run = await cli.json<ReturnType<typeof sessionJson>>(['run', '--tasks', tasks, '--store', url], { timeoutMs: 60_000 })
    const elsewhere = ['--store', url, '--db', join(cli.dir, 'other-machine.sqlite')]
    const list = await cli.json<ReturnType<typeof sessionListJson>>(['sessions', ...elsewhere])
    const shown = await cli.json<ReturnType<typeof sessionJson>>(['sessions', String(run.session.id), ...elsewhere])
    // Then the other machine sees the session exactly as the run reported it
    expect(run.session).toMatchObject({ id: 1, status: 'finished' })
    expect(run.lookups).toHaveLength(2)
    expect(list.sessions).toEqual([{ ...run.session, machine: hostname() }])
    expect(shown).toEqual({ ...run, session: { ...run.session, machine: hostname() } })
  })
})
