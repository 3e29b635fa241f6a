import type { AsteriaConfig } from '../../config/config.js'

/**
 * What the orchestrator and a machine process say to each other. The spec travels on the
 * machine's stdin (never through a file: the store URL may hold a password), then a "go" line
 * starts every machine at once; the machine answers with JSON lines on stdout.
 */
export interface MachineSpec {
  /** This machine's own cache file (its hot tier, or its whole cache when isolated). */
  db: string
  /** The shared tier (a postgres:// URL with its schema), or null for an isolated local cache. */
  storeUrl: string | null
  /** Embedder, judge, thresholds and namespace, as resolved by the caller (storeUrl removed). */
  config: AsteriaConfig
  /** The simulated remote answers after a draw from this range, ms (0–0: at once). */
  remoteLatencyMs: [number, number]
  seed: number
  requests: MachineRequest[]
}

export interface MachineRequest {
  /** Position in the whole trace: the remote latency draw depends on it only. */
  index: number
  tool: string
  query: string
  /** Gold intent, for scoring: the simulated remote returns it, and a hit is right when it matches. */
  intent: string | null
}

/** One request as a machine saw it: where the answer came from and the cache's own time. */
export interface MachineOutcome {
  source: 'cache' | 'remote' | 'coalesced'
  /** Look-up time without the simulated remote call's own time, ms. */
  ms: number
  /** The served result carries the request's intent (always true for a remote call). */
  rightIntent: boolean
}

/** How long each call to the shared tier took, ms: look-ups (exact, nearest) and writes (write-through). */
export interface SharedCallTimes {
  lookups: number[]
  writes: number[]
}

export type MachineMessage =
  | { type: 'ready'; embedder: string; judge: string; notices: string[] }
  | { type: 'progress'; done: number }
  | { type: 'done'; outcomes: MachineOutcome[]; warnings: string[]; sharedCalls: SharedCallTimes | null }
  | { type: 'error'; code: string | null; message: string; suggestions: string[] }

/** A machine reports progress after this many requests. */
export const PROGRESS_EVERY = 10
