import { hostname } from 'node:os'
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
import type { PostgresDatabase } from './database.js'
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

/** `($1, $2, ...), ($n+1, ...)` for `rows` rows of `width` values. */
function valueRows(rows: number, width: number): string {
  return Array.from({ length: rows }, (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ')
}

/**
 * Sessions in the shared tier: every machine's `asteria run` sessions under one id sequence, each
 * with the host that ran it. Tasks and look-ups are keyed by (session, seq) and a repeated insert
 * is ignored, so a machine delivering its queue again after a lost answer adds nothing twice.
 */
export class PostgresSessionLog implements SessionLog {
  constructor(
    private readonly db: PostgresDatabase,
    readonly machine: string = hostname(),
  ) {}

  /** With an upload key, a second start carrying the same key returns the first one's id. */
  async start(info: SessionInfo, uploadKey: string | null = null): Promise<number> {
    const columns = [...SESSION_COLUMNS, 'machine', 'upload_key']
    const { rows } = await this.db.sql<{ id: number }>(
      `INSERT INTO ${this.db.schema}.sessions (${columns.join(', ')}) VALUES ${valueRows(1, columns.length)}
       ON CONFLICT (upload_key) DO UPDATE SET upload_key = EXCLUDED.upload_key RETURNING id`,
      [...sessionValues(info), this.machine, uploadKey],
    )
    return rows[0].id
  }

  recordLookup(sessionId: number, lookup: SessionLookup): Promise<void> {
    return this.recordLookups(sessionId, [lookup])
  }

  recordTask(sessionId: number, task: SessionTask): Promise<void> {
    return this.recordTasks(sessionId, [task])
  }

  async recordLookups(sessionId: number, lookups: SessionLookup[]): Promise<void> {
    await this.insertRows('session_lookups', LOOKUP_COLUMNS, lookups.map((l) => lookupValues(sessionId, l)))
  }

  async recordTasks(sessionId: number, tasks: SessionTask[]): Promise<void> {
    await this.insertRows('session_tasks', TASK_COLUMNS, tasks.map((t) => taskValues(sessionId, t)))
  }

  private async insertRows(table: string, columns: string[], rows: unknown[][]): Promise<void> {
    if (rows.length === 0) return
    await this.db.sql(
      `INSERT INTO ${this.db.schema}.${table} (${columns.join(', ')}) VALUES ${valueRows(rows.length, columns.length)}
       ON CONFLICT (session_id, seq) DO NOTHING`,
      rows.flat(),
    )
  }

  async finish(sessionId: number, finishedAt: number, status: SessionStatus, summary: SessionSummary): Promise<void> {
    await this.db.sql(`UPDATE ${this.db.schema}.sessions SET finished_at = $1, status = $2, summary_json = $3 WHERE id = $4`, [
      Math.round(finishedAt), status, JSON.stringify(summary), sessionId,
    ])
  }

  async list(options: SessionListOptions = {}): Promise<SessionRecord[]> {
    const { rows } = await this.db.sql<SessionRow>(
      `SELECT * FROM ${this.db.schema}.sessions WHERE $1::text IS NULL OR namespace = $1 ORDER BY id DESC LIMIT $2`,
      [options.namespace ?? null, options.limit ?? null],
    )
    return rows.map(toSessionRecord)
  }

  async get(id: number): Promise<SessionDetail | undefined> {
    const s = this.db.schema
    const [session, tasks, lookups] = await Promise.all([
      this.db.sql<SessionRow>(`SELECT * FROM ${s}.sessions WHERE id = $1`, [id]),
      this.db.sql<TaskRow>(`SELECT * FROM ${s}.session_tasks WHERE session_id = $1 ORDER BY seq`, [id]),
      this.db.sql<LookupRow>(`SELECT * FROM ${s}.session_lookups WHERE session_id = $1 ORDER BY seq`, [id]),
    ])
    if (!session.rows[0]) return undefined
    return { session: toSessionRecord(session.rows[0]), tasks: tasks.rows.map(toSessionTask), lookups: lookups.rows.map(toSessionLookup) }
  }
}
