import type { ManualClock } from '../core/clock.js'
import { EventQueue } from './event-queue.js'
import { requestRegion, type RemoteModel } from './remote-model.js'
import { ServedFromBook, type ReplayRecord } from './served-from.js'
import { groupSessions } from './group-sessions.js'
import { stripGold, type TraceRequest } from './trace-request.js'
import type { RemoteCall, ServeContext, ServeOutcome, Variant } from './variant.js'

export interface ReplayOptions {
  /** Concurrent sessions in the closed loop. */
  workers: number
  /** Arrivals at each request's t_ms instead of the closed loop. */
  openLoop: boolean
  remote: RemoteModel
  /** The clock the variant's cache was built with; the simulation moves it. */
  clock: ManualClock
  onCompleted?: () => void
}

interface Process {
  request: TraceRequest
  arrivalMs: number
  parked: () => void
  outcome?: ServeOutcome
  done?: Promise<void>
}

/**
 * Replays a trace through one variant as a discrete-event simulation on `options.clock`: a
 * request's cache work really runs (and is timed), but takes no simulated time, so the order of
 * events never depends on how fast or loaded the machine is: the same trace, settings and seed
 * give the same hits on every run. A remote call completes at its simulated time, and only then
 * does its result (and any stored element) exist; requests that joined it complete with it. A
 * request's reported latency is its simulated wait plus its measured cache work.
 */
export function simulateReplay(variant: Variant, requests: readonly TraceRequest[], options: ReplayOptions): Promise<ReplayRecord[]> {
  return new Simulation(variant, requests, options).run()
}

class Simulation {
  private readonly queue = new EventQueue()
  private readonly book = new ServedFromBook()
  private readonly records: Omit<ReplayRecord, 'servedFrom'>[] = []
  private readonly finished: Process[] = []
  private readonly sessions: TraceRequest[][]
  private readonly nextInSession = new Map<number, TraceRequest>()
  private sessionsStarted = 0
  private failure: { error: unknown } | undefined

  constructor(
    private readonly variant: Variant,
    private readonly requests: readonly TraceRequest[],
    private readonly options: ReplayOptions,
  ) {
    this.sessions = groupSessions(requests)
    for (const session of this.sessions) session.forEach((request, i) => i + 1 < session.length && this.nextInSession.set(request.index, session[i + 1]))
  }

  async run(): Promise<ReplayRecord[]> {
    if (this.options.openLoop) {
      for (const request of this.requests) this.queue.push(request.tMs ?? 0, () => this.arrive(request))
    } else {
      for (let w = 0; w < this.options.workers; w++) this.startNextSession(0)
    }
    for (let event = this.queue.pop(); event; event = this.queue.pop()) {
      this.options.clock.set(event.time)
      await event.run()
      if (this.failure) throw this.failure.error
    }
    return this.book.resolve(this.records)
  }

  private startNextSession(time: number): void {
    const session = this.sessions[this.sessionsStarted++]
    if (session) this.queue.push(time, () => this.arrive(session[0]))
  }

  private async arrive(request: TraceRequest): Promise<void> {
    let parked!: () => void
    const parking = new Promise<void>((resolve) => (parked = resolve))
    const proc: Process = { request, arrivalMs: this.options.clock.now(), parked }
    const context: ServeContext = { remote: () => this.remoteCall(proc), waiting: () => proc.parked() }
    proc.done = this.variant.serve(stripGold(request), context).then(
      (outcome) => {
        proc.outcome = outcome
        this.finished.push(proc)
      },
      (error: unknown) => {
        this.failure ??= { error }
      },
    )
    await Promise.race([proc.done, parking])
    this.completeFinished(proc.arrivalMs)
  }

  private async remoteCall(proc: Process): Promise<RemoteCall> {
    const startsAt = proc.arrivalMs
    const region = requestRegion(this.options.remote, proc.request.index, (ms) => this.sleepUntil(proc, startsAt + ms))
    const call = await region.search(proc.request.query, {})
    return { result: this.book.fetched(call.result, proc.request.index), latencyMs: call.latencyMs, costUsd: call.costUsd }
  }

  /** The owner's remote call returns at `wakeAt`; it and every request waiting on it complete then (plus the owner's storing work). */
  private sleepUntil(owner: Process, wakeAt: number): Promise<void> {
    return new Promise<void>((wake) => {
      this.queue.push(wakeAt, async () => {
        wake()
        await owner.done
        // Waiters resume on the same settled call; one macrotask turn lets their continuations finish.
        await new Promise<void>((resolve) => setImmediate(resolve))
        this.completeFinished(wakeAt)
      })
      owner.parked()
    })
  }

  private completeFinished(time: number): void {
    for (const proc of this.finished.splice(0)) {
      const completionMs = time
      const latencyMs = completionMs - proc.arrivalMs + proc.outcome!.cacheMs
      this.records.push({ index: proc.request.index, arrivalMs: proc.arrivalMs, completionMs, latencyMs, outcome: proc.outcome! })
      this.options.onCompleted?.()
      if (this.options.openLoop) continue
      const next = this.nextInSession.get(proc.request.index)
      if (next) this.queue.push(completionMs, () => this.arrive(next))
      else this.startNextSession(completionMs)
    }
  }
}
