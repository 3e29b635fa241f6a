import type { Clock } from './clock.js'

/**
 * Judge scheduling beside the agent's main model (DESIGN.md, "Judge scheduling"): both share
 * one model server, so the agent's requests go first, judge work runs within its own
 * concurrency limit, and judge work still queued at its deadline is dropped, never started.
 */
export type Priority = 'agent' | 'judge'

/** A clock that can also wake code up later: the system's, or a manual one for tests and the bench. */
export interface TimerSource extends Clock {
  /** Calls `fire` after `ms` on this clock; returns a function that cancels it. */
  schedule(ms: number, fire: () => void): () => void
}

const MAX_TIMER_MS = 2 ** 31 - 1

export const systemTimers: TimerSource = {
  now: () => Date.now(),
  schedule(ms, fire) {
    if (ms > MAX_TIMER_MS) return () => {} // beyond ~24 days: never in practice (setTimeout would fire at once)
    const timer = setTimeout(fire, Math.max(0, ms))
    timer.unref() // a pending deadline must not keep a finished CLI alive
    return () => clearTimeout(timer)
  },
}

/** Time that only moves when told to; due timers fire in order as it advances. */
export class ManualTimers implements TimerSource {
  private pending: { at: number; seq: number; fire: () => void }[] = []
  private seq = 0

  constructor(private current = 0) {}

  now(): number {
    return this.current
  }

  schedule(ms: number, fire: () => void): () => void {
    const entry = { at: this.current + Math.max(0, ms), seq: this.seq++, fire }
    this.pending.push(entry)
    return () => {
      this.pending = this.pending.filter((p) => p !== entry)
    }
  }

  advance(ms: number): void {
    const until = this.current + ms
    for (;;) {
      const due = this.pending.filter((p) => p.at <= until).sort((x, y) => x.at - y.at || x.seq - y.seq)[0]
      if (!due) break
      this.pending = this.pending.filter((p) => p !== due)
      this.current = due.at
      due.fire()
    }
    this.current = until
  }
}

/** Judge work that was still waiting for a slot when its look-up's deadline passed. */
export class DeadlineExceededError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DeadlineExceededError'
  }
}

export interface SchedulerOptions {
  /** Requests the shared model server runs at once (Ollama's OLLAMA_NUM_PARALLEL); default unlimited. */
  slots?: number
  /** Judge requests at once; default 1. */
  judgeConcurrency?: number
  /** false: judge work waits while any agent request runs (a server that slows down when shared). */
  judgeBesideAgent?: boolean
  timers?: TimerSource
}

export interface RunOptions {
  /** Time on the scheduler's clock after which queued work is dropped (DeadlineExceededError). */
  deadlineAt?: number
  signal?: AbortSignal
}

interface Waiting {
  priority: Priority
  start: () => void
  reject: (error: unknown) => void
  cancel: () => void
}

export interface SchedulerSnapshot {
  running: Record<Priority, number>
  queued: Record<Priority, number>
  /** Tasks dropped because their deadline passed while they waited. */
  dropped: number
}

export class Scheduler {
  readonly timers: TimerSource
  private readonly slots: number
  private readonly judgeConcurrency: number
  private readonly judgeBesideAgent: boolean
  private readonly running: Record<Priority, number> = { agent: 0, judge: 0 }
  private readonly queues: Record<Priority, Waiting[]> = { agent: [], judge: [] }
  private dropped = 0

  constructor(options: SchedulerOptions = {}) {
    this.slots = options.slots ?? Number.POSITIVE_INFINITY
    this.judgeConcurrency = options.judgeConcurrency ?? 1
    this.judgeBesideAgent = options.judgeBesideAgent ?? true
    this.timers = options.timers ?? systemTimers
  }

  /** Runs `task` when its class may: agent work before any waiting judge work. */
  run<T>(priority: Priority, task: () => Promise<T>, options: RunOptions = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      options.signal?.throwIfAborted()
      const cancels: Array<() => void> = []
      const entry: Waiting = {
        priority,
        reject,
        cancel: () => cancels.forEach((c) => c()),
        start: () => {
          entry.cancel()
          this.running[priority]++
          let work: Promise<T>
          try {
            work = task()
          } catch (error) {
            work = Promise.reject(error)
          }
          void work
            .finally(() => {
              this.running[priority]--
              this.pump()
            })
            .then(resolve, reject)
        },
      }
      if (options.deadlineAt !== undefined) {
        const late = () => new DeadlineExceededError(`${priority} work still queued at its deadline (${this.describe()})`)
        if (this.timers.now() >= options.deadlineAt) {
          this.dropped++
          return reject(late())
        }
        cancels.push(this.timers.schedule(options.deadlineAt - this.timers.now(), () => this.remove(entry, late(), true)))
      }
      if (options.signal) {
        const signal = options.signal
        const abort = () => this.remove(entry, signal.reason, false)
        signal.addEventListener('abort', abort, { once: true })
        cancels.push(() => signal.removeEventListener('abort', abort))
      }
      this.queues[priority].push(entry)
      this.pump()
    })
  }

  snapshot(): SchedulerSnapshot {
    return { running: { ...this.running }, queued: { agent: this.queues.agent.length, judge: this.queues.judge.length }, dropped: this.dropped }
  }

  private remove(entry: Waiting, reason: unknown, deadline: boolean): void {
    const queue = this.queues[entry.priority]
    const index = queue.indexOf(entry)
    if (index < 0) return // already started: a running task is never interrupted here
    queue.splice(index, 1)
    if (deadline) this.dropped++
    entry.cancel()
    entry.reject(reason)
  }

  private pump(): void {
    for (;;) {
      const busy = this.running.agent + this.running.judge
      if (busy >= this.slots) return
      if (this.queues.agent.length > 0) {
        this.queues.agent.shift()!.start()
        continue
      }
      const judgeMayRun = this.running.judge < this.judgeConcurrency && (this.judgeBesideAgent || this.running.agent === 0)
      if (this.queues.judge.length > 0 && judgeMayRun) {
        this.queues.judge.shift()!.start()
        continue
      }
      return
    }
  }

  private describe(): string {
    const { running, queued } = this.snapshot()
    return `${running.agent} agent and ${running.judge} judge requests running, ${queued.agent} agent requests waiting`
  }
}

export interface DeadlineSettings {
  /** The hard cap, ms. */
  timeoutMs: number
  /** Share of the remote call's expected latency the judge may take (a slower verdict saves no time). */
  fraction: number
}

/**
 * The judge's budget for one look-up: min(timeoutMs, fraction x expected remote latency).
 * Unknown latency (elements stored without one) leaves the cap.
 */
export function judgeBudgetMs(expectedRemoteLatencyMs: number | undefined, settings: DeadlineSettings): number {
  if (expectedRemoteLatencyMs === undefined || !(expectedRemoteLatencyMs > 0)) return settings.timeoutMs
  return Math.min(settings.timeoutMs, settings.fraction * expectedRemoteLatencyMs)
}
