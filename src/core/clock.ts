/** Time source for everything that expires or is timed; the bench injects a simulated one. */
export interface Clock {
  /** Milliseconds since the epoch (or since the simulation began). */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** A clock that only moves when told to: for tests and the bench's discrete-event simulation. */
export class ManualClock implements Clock {
  constructor(private current = 0) {}
  now(): number {
    return this.current
  }
  advance(ms: number): void {
    this.current += ms
  }
  set(ms: number): void {
    this.current = ms
  }
}

/** Wall-clock duration of a synchronous or async step, in milliseconds (for decision-record timings). */
export function elapsedMs(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e6
}

export function startTimer(): bigint {
  return process.hrtime.bigint()
}
