/**
 * Cache work still running, so a shutdown can wait for it: a request whose answer timed out
 * may still be storing, and the cache must not close under it.
 */
export class InflightWork {
  private readonly pending = new Set<Promise<unknown>>()

  get size(): number {
    return this.pending.size
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    const promise = work()
    this.pending.add(promise)
    const settle = () => this.pending.delete(promise)
    promise.then(settle, settle)
    return promise
  }

  /** Resolves once nothing is running (work started meanwhile is waited for too). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending])
  }
}
