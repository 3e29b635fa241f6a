import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CacheStore } from '../../src/core/ports/cache-store.js'
import type { SessionInfo, SessionLookup, SessionSummary, SessionTask } from '../../src/core/ports/session-log.js'
import { openSessionLog, sessionLogOf, SqliteSessionLog } from '../../src/store/session-store.js'
import { openStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js'

const INFO: SessionInfo = {
  startedAt: 1_700_000_000_000, namespace: 'team-a', agent: 'replay', agentNote: 'Ollama is not reachable', taskSet: 'search-disflqa',
  sources: { search: 'local@simulated-region' }, embedder: 'static:x', policy: 'guard',
}

const DECISION = {
  hit: true, kind: 'semantic' as const, elementId: 7, similarity: 0.9, guard: { pass: true, reasons: [] }, judge: null, policy: 'guard',
  thresholds: { tauSim: 0.75, tauJudge: 0.5 }, timings: { normalizeMs: 0, embedMs: 1, searchMs: 1, guardMs: 0, judgeMs: 0, totalMs: 2 },
  candidates: [{ id: 7, query: 'who wrote hamlet', similarity: 0.9, guard: { pass: true, reasons: [] }, judgeScore: null, outcome: 'hit' as const }],
  reason: 'semantic match',
}

const LOOKUP: SessionLookup = {
  seq: 1, taskSeq: 1, tool: 'search', query: 'who was the author of hamlet', args: { k: 3 }, outcome: 'semantic', elementId: 7, prefetched: false,
  latencyMs: 2.5, remoteLatencyMs: 0, costUsd: 0, savedCostUsd: 0.005, savedLatencyMs: 410, judgeMs: null, decision: DECISION, error: null, at: 1_700_000_000_100,
}

const TASK: SessionTask = {
  seq: 1, id: 't1', kind: 'search', question: 'Who wrote Hamlet?', agent: 'replay', answer: 'Top passage: ...', correct: true, lookups: 1, steps: 0, durationMs: 3, error: null,
}

const SUMMARY = { tasks: 1, requests: 1 } as SessionSummary

describe('SqliteSessionLog', () => {
  let dir: string
  let store: SqliteStore
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'asteria-sessions-'))
    store = openStore(join(dir, 'cache.sqlite'))
  })
  afterEach(async () => {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('stores a session, its tasks and look-ups (decision records included) and reads them back', async () => {
    // Given a session log on a cache file
    const log = openSessionLog(store)
    // When a session is started, recorded and finished
    const id = await log.start(INFO)
    await log.recordLookup(id, LOOKUP)
    await log.recordLookup(id, { ...LOOKUP, seq: 2, outcome: 'error', decision: null, error: 'source down', elementId: null })
    await log.recordTask(id, TASK)
    await log.recordTask(id, { ...TASK, seq: 2, id: 't2', correct: null, error: 'boom' })
    await log.finish(id, INFO.startedAt + 5000, 'finished', SUMMARY)
    // Then it reads back exactly, in sequence order
    const detail = await log.get(id)
    expect(detail?.session).toEqual({ ...INFO, id, finishedAt: INFO.startedAt + 5000, status: 'finished', summary: SUMMARY })
    expect(detail?.lookups).toEqual([LOOKUP, { ...LOOKUP, seq: 2, outcome: 'error', decision: null, error: 'source down', elementId: null }])
    expect(detail?.tasks).toEqual([TASK, { ...TASK, seq: 2, id: 't2', correct: null, error: 'boom' }])
  })

  it('lists sessions newest first, by namespace, up to a limit; a running one has no summary yet', async () => {
    const log = new SqliteSessionLog(store.db)
    const first = await log.start(INFO)
    await log.finish(first, INFO.startedAt + 1, 'finished', SUMMARY)
    const second = await log.start({ ...INFO, namespace: 'team-b' })
    const third = await log.start(INFO)
    expect((await log.list()).map((s) => s.id)).toEqual([third, second, first])
    expect((await log.list({ namespace: 'team-a' })).map((s) => [s.id, s.status, s.summary])).toEqual([[third, 'running', null], [first, 'finished', SUMMARY]])
    expect((await log.list({ limit: 1 })).map((s) => s.id)).toEqual([third])
    expect(await log.get(999)).toBeUndefined()
  })

  it('survives reopening the file (the sessions migration runs once)', async () => {
    const id = await openSessionLog(store).start(INFO)
    await store.close()
    store = openStore(join(dir, 'cache.sqlite'))
    expect((await openSessionLog(store).get(id))?.session.taskSet).toBe('search-disflqa')
  })

  it('refuses a store that records no sessions, naming the kinds that do', () => {
    // Given a store of another kind (a library user's own CacheStore)
    const foreign = { location: 'memory://scratch' } as unknown as CacheStore
    // Then it has no session log, and opening one says what is expected
    expect(sessionLogOf(foreign)).toBeUndefined()
    expect(() => openSessionLog(foreign)).toThrow('Sessions are recorded in a SQLite cache file or a PostgreSQL shared tier; memory://scratch is another kind of store.')
    expect(sessionLogOf(store)).toBeInstanceOf(SqliteSessionLog)
  })
})
