export type BackgroundJob = () => Promise<void>

/**
 * Work that must never delay a request (prefetches, verification calls): jobs start only after
 * the current turn of the event loop, at most `concurrency` at a time, and are dropped rather
 * than queued without bound. `idle()` lets tests, the bench and `close()` wait for them.
 */
export class BackgroundQueue {
  private running = 0
  private readonly waiting: BackgroundJob[] = []
  private readonly idleWaiters: (() => void)[] = []

  constructor(
    private readonly concurrency: number,
    private readonly maxWaiting: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Queues a job; false when the queue is full and the job was dropped. */
  push(job: BackgroundJob): boolean {
    if (this.waiting.length >= this.maxWaiting) return false
    this.waiting.push(job)
    setImmediate(() => this.pump())
    return true
  }

  get size(): number {
    return this.running + this.waiting.length
  }

  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!
      this.running++
      job()
        .catch(this.onError)
        .finally(() => {
          this.running--
          this.pump()
          if (this.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve()
        })
    }
  }
}
