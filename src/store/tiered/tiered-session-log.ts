import { AsteriaError } from '../../core/errors.js'
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
import type { PostgresSessionLog } from '../postgres/postgres-session-log.js'
import { SessionJournal, type OutboxKind, type Queued } from '../sqlite/session-journal.js'
import type { SqliteStore } from '../sqlite/sqlite-store.js'
import { OFFLINE } from './availability.js'
import type { SharedCall } from './sync.js'

export interface TieredSessionLogOptions {
  /** The tiered store's shared-tier call (its timeout and outage rules). */
  call: SharedCall
  local: SqliteStore
  shared: PostgresSessionLog
  /** Runs delivery work no caller waits for; the tiered store's `close()` waits for it. */
  background: (work: Promise<unknown>) => void
  /** Told when a session is kept locally for want of the shared tier, and when it is uploaded. */
  onNotice?: (message: string) => void
}

const BATCH = 100

/**
 * Sessions of a tiered store. The shared tier is primary: a session gets its id there, so any
 * machine lists and shows it. Each record is also journaled in this machine's cache file first,
 * queued until the shared tier acknowledges it, so PostgreSQL going away mid-session loses
 * nothing: the queue is delivered by the next session call that reaches it, by the tiered
 * store's catch-up, and before `list`/`get`. A session started while the shared tier is away
 * runs under a local id and gets its shared id when it is uploaded (both are announced).
 * Reads go to the shared tier, or to this machine's journal while it is away.
 */
export class TieredSessionLog implements SessionLog {
  private readonly journal: SessionJournal
  /** Ids this log handed out (shared, or local when started offline) -> local session id. */
  private readonly localIds = new Map<number, number>()
  private delivering: Promise<boolean> | undefined
  /** Unknown when the process starts: an earlier run may have left records queued. */
  private backlog = true

  constructor(private readonly options: TieredSessionLogOptions) {
    this.journal = new SessionJournal(options.local.db)
  }

  async start(info: SessionInfo): Promise<number> {
    const { localId, uploadKey } = this.journal.begin(info)
    const sharedId = await this.options.call(() => this.options.shared.start(info, uploadKey))
    if (sharedId === OFFLINE) {
      this.backlog = true
      this.localIds.set(localId, localId)
      this.options.onNotice?.(
        `Session ${localId} is recorded in ${this.options.local.location} only for now; it is uploaded to the shared cache, under a new id, when that is back.`,
      )
      return localId
    }
    this.journal.link(localId, sharedId)
    this.localIds.set(sharedId, localId)
    this.deliverBacklog()
    return sharedId
  }

  async recordLookup(sessionId: number, lookup: SessionLookup): Promise<void> {
    const localId = this.localIdOf(sessionId)
    this.journal.addLookup(localId, lookup)
    await this.send(localId, 'lookup', lookup.seq, (sharedId) => this.options.shared.recordLookup(sharedId, lookup))
  }

  async recordTask(sessionId: number, task: SessionTask): Promise<void> {
    const localId = this.localIdOf(sessionId)
    this.journal.addTask(localId, task)
    await this.send(localId, 'task', task.seq, (sharedId) => this.options.shared.recordTask(sharedId, task))
  }

  async finish(sessionId: number, finishedAt: number, status: SessionStatus, summary: SessionSummary): Promise<void> {
    const localId = this.localIdOf(sessionId)
    this.journal.addEnd(localId, { finishedAt, status, summary })
    await this.send(localId, 'finish', 0, (sharedId) => this.options.shared.finish(sharedId, finishedAt, status, summary))
  }

  /** Every machine's sessions while the shared tier answers (this machine's queue delivered first); this machine's otherwise. */
  async list(options: SessionListOptions = {}): Promise<SessionRecord[]> {
    if (this.backlog) await this.deliver()
    const shared = await this.options.call(() => this.options.shared.list(options))
    return shared === OFFLINE ? this.journal.list(options) : shared
  }

  async get(id: number): Promise<SessionDetail | undefined> {
    if (this.backlog) await this.deliver()
    const shared = await this.options.call(() => this.options.shared.get(id))
    return shared === OFFLINE ? this.journal.detail(id) : shared
  }

  /** The shared id of a session started offline once it is uploaded; otherwise `id` itself. */
  currentId(id: number): number {
    const localId = this.localIds.get(id)
    return localId === undefined ? id : (this.journal.sharedId(localId) ?? id)
  }

  /**
   * Uploads the sessions started while the shared tier was away and sends every queued record,
   * until the queue is empty (true) or the shared tier fails (false). One delivery at a time.
   */
  deliver(): Promise<boolean> {
    this.delivering ??= this.deliverQueue().finally(() => (this.delivering = undefined))
    return this.delivering
  }

  private localIdOf(sessionId: number): number {
    const localId = this.localIds.get(sessionId) ?? this.journal.localIdOf(sessionId)
    if (localId === undefined) {
      throw new AsteriaError('NOT_FOUND', `Session ${sessionId} was not started through the cache file ${this.options.local.location}.`, {
        suggestions: ['Record a session with the same session log that started it (`start` returns its id).'],
      })
    }
    return localId
  }

  /** Sends one journaled record; when it cannot go now it stays queued for the next delivery. */
  private async send(localId: number, kind: OutboxKind, seq: number, op: (sharedId: number) => Promise<void>): Promise<void> {
    const sharedId = this.journal.sharedId(localId)
    if (sharedId === undefined || (await this.options.call(() => op(sharedId))) === OFFLINE) {
      this.backlog = true
      // A session started offline is uploaded by a delivery; while the tier rests this costs no round trip.
      if (sharedId === undefined) this.deliverBacklog()
      return
    }
    this.journal.delivered(localId, kind, [seq])
    this.deliverBacklog()
  }

  private deliverBacklog(): void {
    if (this.backlog && !this.delivering) this.options.background(this.deliver())
  }

  private async deliverQueue(): Promise<boolean> {
    const { call, shared } = this.options
    for (;;) {
      const uploads = this.journal.notUploaded(BATCH)
      for (const { localId, uploadKey, info } of uploads) {
        const sharedId = await call(() => shared.start(info, uploadKey))
        if (sharedId === OFFLINE) return false
        this.journal.link(localId, sharedId)
        this.options.onNotice?.(`Session ${localId}, recorded in ${this.options.local.location} while the shared cache was away, is now session ${sharedId} there.`)
      }
      const lookups = this.journal.queuedLookups(BATCH)
      const tasks = this.journal.queuedTasks(BATCH)
      const ends = this.journal.queuedEnds(BATCH)
      if (uploads.length + lookups.length + tasks.length + ends.length === 0) {
        this.backlog = false
        return true
      }
      const sent =
        (await this.sendBySession('lookup', lookups, (id, records) => shared.recordLookups(id, records))) &&
        (await this.sendBySession('task', tasks, (id, records) => shared.recordTasks(id, records))) &&
        (await this.sendBySession('finish', ends, (id, [end]) => shared.finish(id, end.finishedAt, end.status, end.summary)))
      if (!sent) return false
    }
  }

  private async sendBySession<T>(kind: OutboxKind, queued: Queued<T>[], op: (sharedId: number, records: T[]) => Promise<void>): Promise<boolean> {
    const bySession = new Map<number, Queued<T>[]>()
    for (const q of queued) bySession.set(q.localId, [...(bySession.get(q.localId) ?? []), q])
    for (const [localId, items] of bySession) {
      if ((await this.options.call(() => op(items[0].sharedId, items.map((q) => q.record)))) === OFFLINE) return false
      this.journal.delivered(localId, kind, items.map((q) => q.seq))
    }
    return true
  }
}
