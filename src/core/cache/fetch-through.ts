/**
 * Concurrent misses for the same question share one remote call. Entries are matched by an
 * exact key first, then by a caller-supplied equivalence test (the cache's hit rule), so a
 * paraphrase arriving while the first call is in flight waits for it instead of calling again.
 */
export interface InFlight<T, M> {
  key: string
  meta: M
  promise: Promise<T>
}

export class SingleFlight<T, M> {
  private readonly flights = new Map<string, InFlight<T, M>[]>()

  /** An in-flight call in `group` whose key matches, or whose meta passes `equivalent`. */
  find(group: string, key: string, equivalent?: (meta: M) => boolean): InFlight<T, M> | undefined {
    const list = this.flights.get(group) ?? []
    return list.find((f) => f.key === key) ?? (equivalent ? list.find((f) => equivalent(f.meta)) : undefined)
  }

  /** Starts `work` as the call others may join; it leaves the registry when it settles. */
  start(group: string, key: string, meta: M, work: () => Promise<T>): Promise<T> {
    const list = this.flights.get(group) ?? []
    const promise = work().finally(() => {
      const remaining = (this.flights.get(group) ?? []).filter((f) => f.promise !== promise)
      if (remaining.length === 0) this.flights.delete(group)
      else this.flights.set(group, remaining)
    })
    list.push({ key, meta, promise })
    this.flights.set(group, list)
    return promise
  }

  get size(): number {
    let n = 0
    for (const list of this.flights.values()) n += list.length
    return n
  }
}
