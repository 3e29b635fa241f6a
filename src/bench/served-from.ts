import type { ServeOutcome } from './variant.js'

/** One request as the replay saw it: when it arrived and completed (ms of the run) and how it was served. */
export interface ReplayRecord {
  index: number
  arrivalMs: number
  completionMs: number
  /** What the request waited: completion - arrival, plus its measured cache work in a simulation (which takes no simulated time). */
  latencyMs: number
  outcome: ServeOutcome
  /** The request whose remote call produced what this request received (itself for its own call); null when unknown. */
  servedFrom: number | null
}

/**
 * The bench's private book of where each result came from: result objects by the request whose
 * remote call fetched them, and cached elements by the request that stored them. Variants never see it.
 */
export class ServedFromBook {
  private readonly fetchedBy = new WeakMap<object, number>()

  /** Registers a fresh result of `requestIndex`'s remote call; returns what the variant should get. */
  fetched(result: unknown, requestIndex: number): unknown {
    if (typeof result === 'object' && result !== null) this.fetchedBy.set(result, requestIndex)
    return result
  }

  /** Resolves every record's origin once the replay is over (so the order in which records completed does not matter). */
  resolve(records: Omit<ReplayRecord, 'servedFrom'>[]): ReplayRecord[] {
    const storedBy = new Map<number, number>()
    for (const r of records) {
      if (r.outcome.source === 'remote' && r.outcome.elementId !== null) storedBy.set(r.outcome.elementId, r.index)
    }
    return records.map((r) => {
      const { source, elementId, result } = r.outcome
      if (source === 'remote') return { ...r, servedFrom: r.index }
      const byResult = typeof result === 'object' && result !== null ? this.fetchedBy.get(result) : undefined
      const byElement = elementId === null ? undefined : storedBy.get(elementId)
      return { ...r, servedFrom: (source === 'cache' ? (byElement ?? byResult) : (byResult ?? byElement)) ?? null }
    })
  }
}
