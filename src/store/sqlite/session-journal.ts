import { randomUUID } from 'node:crypto'
import type Database from 'better-sqlite3'
import type { SessionDetail, SessionInfo, SessionListOptions, SessionLookup, SessionRecord, SessionStatus, SessionSummary, SessionTask } from '../../core/ports/session-log.js'
import { SqliteSessionLog } from './sqlite-session-log.js'
import { toSessionInfo, toSessionLookup, toSessionRecord, toSessionTask, type LookupRow, type SessionRow, type TaskRow } from '../session-rows.js'

export type OutboxKind = 'lookup' | 'task' | 'finish'

export interface Queued<T> {
  localId: number
  sharedId: number
  seq: number
  record: T
}

export interface SessionEnd {
  finishedAt: number
  status: SessionStatus
  summary: SessionSummary
}

/**
 * This machine's copy of the sessions it records through a tiered store, in its cache file: every
 * session, task and look-up is written here first, with an outbox row for each record the shared
 * tier has not acknowledged yet and a link to the session's shared id once it has one.
 */
export class SessionJournal {
  private readonly tables: SqliteSessionLog

  constructor(private readonly db: Database.Database) {
    this.tables = new SqliteSessionLog(db)
  }

  /** A new local session, not uploaded yet; its upload key makes the upload idempotent. */
  begin(info: SessionInfo): { localId: number; uploadKey: string } {
    const uploadKey = randomUUID()
    const localId = this.db.transaction(() => {
      const id = this.tables.insertSession(info)
      this.db.prepare('INSERT INTO session_links (local_id, upload_key) VALUES (?, ?)').run(id, uploadKey)
      return id
    })()
    return { localId, uploadKey }
  }

  link(localId: number, sharedId: number): void {
    this.db.prepare('UPDATE session_links SET shared_id = ? WHERE local_id = ?').run(sharedId, localId)
  }

  sharedId(localId: number): number | undefined {
    return (this.db.prepare('SELECT shared_id FROM session_links WHERE local_id = ?').get(localId) as { shared_id: number | null } | undefined)?.shared_id ?? undefined
  }

  localIdOf(sharedId: number): number | undefined {
    return (this.db.prepare('SELECT local_id FROM session_links WHERE shared_id = ?').get(sharedId) as { local_id: number } | undefined)?.local_id
  }

  addLookup(localId: number, lookup: SessionLookup): void {
    this.queue(localId, 'lookup', lookup.seq, () => this.tables.insertLookup(localId, lookup))
  }

  addTask(localId: number, task: SessionTask): void {
    this.queue(localId, 'task', task.seq, () => this.tables.insertTask(localId, task))
  }

  addEnd(localId: number, end: SessionEnd): void {
    this.queue(localId, 'finish', 0, () => this.tables.markFinished(localId, end.finishedAt, end.status, end.summary))
  }

  /** The record and its outbox row in one transaction: nothing written here lacks a way to the shared tier. */
  private queue(localId: number, kind: OutboxKind, seq: number, write: () => void): void {
    this.db.transaction(() => {
      write()
      this.db.prepare('INSERT OR IGNORE INTO session_outbox (local_id, kind, seq) VALUES (?, ?, ?)').run(localId, kind, seq)
    })()
  }

  delivered(localId: number, kind: OutboxKind, seqs: number[]): void {
    const remove = this.db.prepare('DELETE FROM session_outbox WHERE local_id = ? AND kind = ? AND seq = ?')
    this.db.transaction(() => seqs.forEach((seq) => remove.run(localId, kind, seq)))()
  }

  /** Sessions started while the shared tier was away, oldest first. */
  notUploaded(limit: number): { localId: number; uploadKey: string; info: SessionInfo }[] {
    const rows = this.db
      .prepare('SELECT s.*, k.upload_key FROM session_links k JOIN sessions s ON s.id = k.local_id WHERE k.shared_id IS NULL ORDER BY s.id LIMIT ?')
      .all(limit) as (SessionRow & { upload_key: string })[]
    return rows.map((row) => ({ localId: row.id, uploadKey: row.upload_key, info: toSessionInfo(row) }))
  }

  queuedLookups(limit: number): Queued<SessionLookup>[] {
    return this.queued<LookupRow>('lookup', 'session_lookups', limit).map(({ row, ...q }) => ({ ...q, record: toSessionLookup(row) }))
  }

  queuedTasks(limit: number): Queued<SessionTask>[] {
    return this.queued<TaskRow>('task', 'session_tasks', limit).map(({ row, ...q }) => ({ ...q, record: toSessionTask(row) }))
  }

  queuedEnds(limit: number): Queued<SessionEnd>[] {
    const rows = this.db
      .prepare(`SELECT s.id AS local_id, k.shared_id, s.finished_at, s.status, s.summary_json FROM session_outbox o
        JOIN session_links k ON k.local_id = o.local_id JOIN sessions s ON s.id = o.local_id
        WHERE o.kind = 'finish' AND k.shared_id IS NOT NULL ORDER BY o.local_id LIMIT ?`)
      .all(limit) as { local_id: number; shared_id: number; finished_at: number; status: SessionStatus; summary_json: string }[]
    return rows.map((r) => ({
      localId: r.local_id, sharedId: r.shared_id, seq: 0,
      record: { finishedAt: r.finished_at, status: r.status, summary: JSON.parse(r.summary_json) as SessionSummary },
    }))
  }

  /** Queued rows of uploaded sessions, with the session's shared id. */
  private queued<R>(kind: OutboxKind, table: string, limit: number): { localId: number; sharedId: number; seq: number; row: R }[] {
    const rows = this.db
      .prepare(`SELECT r.*, k.shared_id AS shared_id_ FROM session_outbox o JOIN session_links k ON k.local_id = o.local_id
        JOIN ${table} r ON r.session_id = o.local_id AND r.seq = o.seq
        WHERE o.kind = ? AND k.shared_id IS NOT NULL ORDER BY o.local_id, o.seq LIMIT ?`)
      .all(kind, limit) as (R & { session_id: number; seq: number; shared_id_: number })[]
    return rows.map((row) => ({ localId: row.session_id, sharedId: row.shared_id_, seq: row.seq, row }))
  }

  /** This machine's sessions, newest first, by shared id (or local id while not uploaded). */
  list(options: SessionListOptions = {}): SessionRecord[] {
    const rows = this.db
      .prepare(`SELECT s.*, coalesce(k.shared_id, s.id) AS shown_id FROM sessions s JOIN session_links k ON k.local_id = s.id
        WHERE ? IS NULL OR s.namespace = ? ORDER BY s.id DESC LIMIT ?`)
      .all(options.namespace ?? null, options.namespace ?? null, options.limit ?? -1) as (SessionRow & { shown_id: number })[]
    return rows.map((row) => toSessionRecord({ ...row, id: row.shown_id }))
  }

  /** A session by its shared id, or by its local id while it has none. */
  detail(id: number): SessionDetail | undefined {
    const localId =
      this.localIdOf(id) ??
      (this.db.prepare('SELECT local_id FROM session_links WHERE local_id = ? AND shared_id IS NULL').get(id) as { local_id: number } | undefined)?.local_id
    return localId === undefined ? undefined : this.tables.detail(localId, id)
  }
}
