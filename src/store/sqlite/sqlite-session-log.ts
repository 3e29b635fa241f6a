import type Database from 'better-sqlite3'
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
} from '../../core/ports/session-log.js'
import {
  LOOKUP_COLUMNS,
  lookupValues,
  SESSION_COLUMNS,
  sessionValues,
  TASK_COLUMNS,
  taskValues,
  toSessionLookup,
  toSessionRecord,
  toSessionTask,
  type LookupRow,
  type SessionRow,
  type TaskRow,
} from '../session-rows.js'

const placeholders = (columns: string[]) => columns.map(() => '?').join(', ')

/**
 * Sessions in the cache's own SQLite file (tables from the sessions migration). The synchronous
 * methods let the tiered session log journal a record and queue it in one transaction.
 */
export class SqliteSessionLog implements SessionLog {
  constructor(readonly db: Database.Database) {}

  insertSession(info: SessionInfo): number {
    const result = this.db.prepare(`INSERT INTO sessions (${SESSION_COLUMNS.join(', ')}) VALUES (${placeholders(SESSION_COLUMNS)})`).run(...sessionValues(info))
    return Number(result.lastInsertRowid)
  }

  insertLookup(sessionId: number, lookup: SessionLookup): void {
    this.db.prepare(`INSERT INTO session_lookups (${LOOKUP_COLUMNS.join(', ')}) VALUES (${placeholders(LOOKUP_COLUMNS)})`).run(...lookupValues(sessionId, lookup))
  }

  insertTask(sessionId: number, task: SessionTask): void {
    this.db.prepare(`INSERT INTO session_tasks (${TASK_COLUMNS.join(', ')}) VALUES (${placeholders(TASK_COLUMNS)})`).run(...taskValues(sessionId, task))
  }

  markFinished(sessionId: number, finishedAt: number, status: SessionStatus, summary: SessionSummary): void {
    this.db.prepare('UPDATE sessions SET finished_at = ?, status = ?, summary_json = ? WHERE id = ?').run(Math.round(finishedAt), status, JSON.stringify(summary), sessionId)
  }

  /** One session as stored here, its record carrying `id` (the tiered log shows shared ids). */
  detail(sessionId: number, id = sessionId): SessionDetail | undefined {
    const row = this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(sessionId) as SessionRow | undefined
    if (!row) return undefined
    const tasks = this.db.prepare('SELECT * FROM session_tasks WHERE session_id = ? ORDER BY seq').all(sessionId) as TaskRow[]
    const lookups = this.db.prepare('SELECT * FROM session_lookups WHERE session_id = ? ORDER BY seq').all(sessionId) as LookupRow[]
    return { session: toSessionRecord({ ...row, id }), tasks: tasks.map(toSessionTask), lookups: lookups.map(toSessionLookup) }
  }

  async start(info: SessionInfo): Promise<number> {
    return this.insertSession(info)
  }

  async recordLookup(sessionId: number, lookup: SessionLookup): Promise<void> {
    this.insertLookup(sessionId, lookup)
  }

  async recordTask(sessionId: number, task: SessionTask): Promise<void> {
    this.insertTask(sessionId, task)
  }

  async finish(sessionId: number, finishedAt: number, status: SessionStatus, summary: SessionSummary): Promise<void> {
    this.markFinished(sessionId, finishedAt, status, summary)
  }

  async list(options: SessionListOptions = {}): Promise<SessionRecord[]> {
    const where = options.namespace === undefined ? '' : 'WHERE namespace = ?'
    const params = options.namespace === undefined ? [] : [options.namespace]
    const rows = this.db.prepare(`SELECT * FROM sessions ${where} ORDER BY id DESC LIMIT ?`).all(...params, options.limit ?? -1) as SessionRow[]
    return rows.map(toSessionRecord)
  }

  async get(id: number): Promise<SessionDetail | undefined> {
    return this.detail(id)
  }
}
