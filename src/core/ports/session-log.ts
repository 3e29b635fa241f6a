import type { DecisionRecord } from '../decision.js'

/** How one look-up of a session was served. */
export type LookupOutcome = 'exact' | 'semantic' | 'miss' | 'coalesced' | 'bypass' | 'error'

/** What a session ran: set when it starts. */
export interface SessionInfo {
  startedAt: number
  namespace: string
  /** The agent that ran the tasks: "ollama:<model>" or "replay". */
  agent: string
  /** Why replay was used when it was not asked for (no model reachable...). */
  agentNote?: string
  /** A built-in set name, a task file path, or "ad hoc". */
  taskSet: string
  /** Tool name -> knowledge source name. */
  sources: Record<string, string>
  embedder: string
  policy: string
}

/** One knowledge look-up an agent made through the cache, with its decision record. */
export interface SessionLookup {
  seq: number
  taskSeq: number
  tool: string
  query: string
  args: Record<string, unknown>
  outcome: LookupOutcome
  elementId: number | null
  /** Served from an element that a prefetch stored. */
  prefetched: boolean
  /** Wall time the agent waited for this look-up, ms. */
  latencyMs: number
  /** Latency and price of the remote call this look-up paid for (0 when served). */
  remoteLatencyMs: number
  costUsd: number
  /** What the original remote call behind a hit cost (what the hit saved). */
  savedCostUsd: number
  savedLatencyMs: number
  judgeMs: number | null
  decision: DecisionRecord | null
  error: string | null
  at: number
}

/** One task of a session and how its agent did. */
export interface SessionTask {
  seq: number
  id: string
  kind: 'search' | 'coding'
  question: string
  /** "ollama:<model>" or "replay". */
  agent: string
  answer: string
  /** Whether the answer (or, in replay, the retrieved passages) contains a gold answer; null when no gold is known. */
  correct: boolean | null
  lookups: number
  /** Model turns (0 in replay). */
  steps: number
  durationMs: number
  error: string | null
}

export interface Percentiles {
  p50: number | null
  p95: number | null
}

/** The session report's figures (README, "Sessions"). */
export interface SessionSummary {
  tasks: number
  requests: number
  hits: { exact: number; semantic: number; total: number }
  misses: number
  coalesced: number
  prefetchHits: number
  bypassed: number
  errors: number
  hitRate: number | null
  lookupLatencyMs: Percentiles
  taskLatencyMs: Percentiles
  remoteCalls: number
  costSpentUsd: number
  costSavedUsd: number
  latencySavedMs: number
  judgeCalls: number
  judgeMs: number
  accuracy: { withAnswers: number; correct: number; rate: number | null }
  /** The thresholds in force at the end, and every change self-calibration made during the session ("tau_sim 0.75 -> 0.8 after ..."). */
  thresholds?: { tauSim: number; tauJudge: number; changes: string[] }
}

/** `interrupted`: stopped by the user (Ctrl+C); its summary covers the tasks that finished. */
export type SessionStatus = 'running' | 'finished' | 'failed' | 'interrupted'

export interface SessionRecord extends SessionInfo {
  id: number
  finishedAt: number | null
  status: SessionStatus
  /** Stored when the session finishes; null while it runs or when it was interrupted. */
  summary: SessionSummary | null
  /** The host that ran it, for sessions in a shared tier. */
  machine?: string
}

export interface SessionDetail {
  session: SessionRecord
  tasks: SessionTask[]
  lookups: SessionLookup[]
}

export interface SessionListOptions {
  namespace?: string
  limit?: number
}

/**
 * Where sessions are recorded. SQLite today (src/store/session-store.ts); a shared
 * PostgreSQL tier implements the same interface, so every method is async.
 */
export interface SessionLog {
  start(info: SessionInfo): Promise<number>
  recordLookup(sessionId: number, lookup: SessionLookup): Promise<void>
  recordTask(sessionId: number, task: SessionTask): Promise<void>
  finish(sessionId: number, finishedAt: number, status: SessionStatus, summary: SessionSummary): Promise<void>
  /** Newest first. */
  list(options?: SessionListOptions): Promise<SessionRecord[]>
  get(id: number): Promise<SessionDetail | undefined>
  /**
   * The id a session that started as `id` goes by now: a session a tiered store started while
   * its shared tier was away gets a shared id once uploaded. Logs without that case leave it out.
   */
  currentId?(id: number): number
}
