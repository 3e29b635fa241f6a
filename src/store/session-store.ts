import type Database from 'better-sqlite3'
import type { CacheStore } from '../core/cache-store.js'
import { AsteriaError } from '../core/errors.js'
import type {
  SessionDetail,
  SessionInfo,
  SessionListOptions,
  SessionLog,
  SessionLookup,
  SessionRecord,
  SessionStatus,
  SessionSummary,
  SessionTask,
} from '../core/session-log.js'
import { SqliteStore } from './sqlite-store.js'

interface SessionRow {
  id: number
  started_at: number
  finished_at: number | null
  status: SessionStatus
  namespace: string
  agent: string
  agent_note: string | null
  task_set: string
  sources_json: string
  embedder: string
  policy: string
  summary_json: string | null
}

interface TaskRow {
  seq: number
  task_id: string
  kind: 'search' | 'coding'
  question: string
  agent: string
  answer: string
  correct: number | null
  lookups: number
  steps: number
  duration_ms: number
  error: string | null
}

interface LookupRow {
  seq: number
  task_seq: number
  tool: string
  query: string
  args_json: string
  outcome: SessionLookup['outcome']
  element_id: number | null
  prefetched: number
  latency_ms: number
  remote_latency_ms: number
  cost_usd: number
  saved_cost_usd: number
  saved_latency_ms: number
  judge_ms: number | null
  decision_json: string | null
  error: string | null
  at: number
}

/** Sessions in the cache's own SQLite file (tables from the sessions migration). */
export class SqliteSessionLog implements SessionLog {
  constructor(private readonly db: Database.Database) {}

  async start(info: SessionInfo): Promise<number> {
    const result = this.db
      .prepare(`INSERT INTO sessions (started_at, namespace, agent, agent_note, task_set, sources_json, embedder, policy)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(Math.round(info.startedAt), info.namespace, info.agent, info.agentNote ?? null, info.taskSet, JSON.stringify(info.sources), info.embedder, info.policy)
    return Number(result.lastInsertRowid)
  }

  async recordLookup(sessionId: number, l: SessionLookup): Promise<void> {
    this.db
      .prepare(`INSERT INTO session_lookups (session_id, seq, task_seq, tool, query, args_json, outcome, element_id, prefetched,
        latency_ms, remote_latency_ms, cost_usd, saved_cost_usd, saved_latency_ms, judge_ms, decision_json, error, at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        sessionId, l.seq, l.taskSeq, l.tool, l.query, JSON.stringify(l.args), l.outcome, l.elementId, l.prefetched ? 1 : 0,
        l.latencyMs, l.remoteLatencyMs, l.costUsd, l.savedCostUsd, l.savedLatencyMs, l.judgeMs,
        l.decision === null ? null : JSON.stringify(l.decision), l.error, Math.round(l.at),
      )
  }

  async recordTask(sessionId: number, t: SessionTask): Promise<void> {
    this.db
      .prepare(`INSERT INTO session_tasks (session_id, seq, task_id, kind, question, agent, answer, correct, lookups, steps, duration_ms, error)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(sessionId, t.seq, t.id, t.kind, t.question, t.agent, t.answer, t.correct === null ? null : t.correct ? 1 : 0, t.lookups, t.steps, t.durationMs, t.error)
  }

  async finish(sessionId: number, finishedAt: number, status: SessionStatus, summary: SessionSummary): Promise<void> {
    this.db
      .prepare('UPDATE sessions SET finished_at = ?, status = ?, summary_json = ? WHERE id = ?')
      .run(Math.round(finishedAt), status, JSON.stringify(summary), sessionId)
  }

  async list(options: SessionListOptions = {}): Promise<SessionRecord[]> {
    const where = options.namespace === undefined ? '' : 'WHERE namespace = ?'
    const params = options.namespace === undefined ? [] : [options.namespace]
    const rows = this.db.prepare(`SELECT * FROM sessions ${where} ORDER BY id DESC LIMIT ?`).all(...params, options.limit ?? -1) as SessionRow[]
    return rows.map(toRecord)
  }

  async get(id: number): Promise<SessionDetail | undefined> {
    const row = this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined
    if (!row) return undefined
    const tasks = this.db.prepare('SELECT * FROM session_tasks WHERE session_id = ? ORDER BY seq').all(id) as TaskRow[]
    const lookups = this.db.prepare('SELECT * FROM session_lookups WHERE session_id = ? ORDER BY seq').all(id) as LookupRow[]
    return { session: toRecord(row), tasks: tasks.map(toTask), lookups: lookups.map(toLookup) }
  }
}

/** The session log kept next to a cache's elements (the same SQLite file). */
export function openSessionLog(store: CacheStore): SessionLog {
  if (!(store instanceof SqliteStore)) {
    throw new AsteriaError('STORE', `Sessions are recorded in a SQLite cache; ${store.location} is another kind of store.`, {
      suggestions: ['Pass --db with a SQLite cache file.'],
    })
  }
  return new SqliteSessionLog(store.db)
}

function toRecord(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status,
    namespace: row.namespace,
    agent: row.agent,
    ...(row.agent_note === null ? {} : { agentNote: row.agent_note }),
    taskSet: row.task_set,
    sources: JSON.parse(row.sources_json) as Record<string, string>,
    embedder: row.embedder,
    policy: row.policy,
    summary: row.summary_json === null ? null : (JSON.parse(row.summary_json) as SessionSummary),
  }
}

function toTask(row: TaskRow): SessionTask {
  return {
    seq: row.seq,
    id: row.task_id,
    kind: row.kind,
    question: row.question,
    agent: row.agent,
    answer: row.answer,
    correct: row.correct === null ? null : row.correct === 1,
    lookups: row.lookups,
    steps: row.steps,
    durationMs: row.duration_ms,
    error: row.error,
  }
}

function toLookup(row: LookupRow): SessionLookup {
  return {
    seq: row.seq,
    taskSeq: row.task_seq,
    tool: row.tool,
    query: row.query,
    args: JSON.parse(row.args_json) as Record<string, unknown>,
    outcome: row.outcome,
    elementId: row.element_id,
    prefetched: row.prefetched === 1,
    latencyMs: row.latency_ms,
    remoteLatencyMs: row.remote_latency_ms,
    costUsd: row.cost_usd,
    savedCostUsd: row.saved_cost_usd,
    savedLatencyMs: row.saved_latency_ms,
    judgeMs: row.judge_ms,
    decision: row.decision_json === null ? null : JSON.parse(row.decision_json),
    error: row.error,
    at: row.at,
  }
}
