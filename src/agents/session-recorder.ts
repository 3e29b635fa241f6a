import type { Asteria } from '../asteria.js'
import { elapsedMs, startTimer } from '../core/clock.js'
import type { FetchResult } from '../core/cache/requests.js'
import type { LookupOutcome, SessionLog, SessionLookup } from '../core/ports/session-log.js'
import type { SourceDocument } from '../core/ports/knowledge-source.js'

/** What an agent sees of one look-up. */
export interface LookupObservation {
  documents: SourceDocument[]
  outcome: LookupOutcome
  /** Set when the source failed: the agent may carry on without this result. */
  error?: string
}

/** The look-ups one task may make: every one goes through the cache and into the session. */
export interface KnowledgeTools {
  lookup(tool: string, query: string, args?: Record<string, unknown>): Promise<LookupObservation>
  /** How many look-ups this task has made so far. */
  readonly count: number
}

export interface SessionRecorderOptions {
  asteria: Asteria
  log: SessionLog
  sessionId: number
  /** Stops the session: look-ups in flight abort their source calls, and none is recorded after it. */
  signal?: AbortSignal
}

/** Records each look-up of a session (with its decision record) as it completes. */
export class SessionRecorder {
  readonly lookups: SessionLookup[] = []
  private nextSeq = 1

  constructor(private readonly options: SessionRecorderOptions) {}

  forTask(taskSeq: number): KnowledgeTools {
    let count = 0
    return {
      lookup: async (tool, query, args = {}) => {
        count++
        return this.lookup(taskSeq, tool, query, args)
      },
      get count() {
        return count
      },
    }
  }

  private async lookup(taskSeq: number, tool: string, query: string, args: Record<string, unknown>): Promise<LookupObservation> {
    const { asteria, log, sessionId, signal } = this.options
    signal?.throwIfAborted()
    const seq = this.nextSeq++
    const at = asteria.cache.clock.now()
    const start = startTimer()
    let record: SessionLookup
    let observation: LookupObservation
    try {
      const result = await asteria.ask(query, { tool, args, signal })
      record = lookupRecord(seq, taskSeq, tool, query, args, result, elapsedMs(start), at)
      observation = { documents: documentsOf(result.result), outcome: record.outcome }
    } catch (error) {
      // A look-up cut short by the user's stop belongs to no report: the task it served did not finish.
      if (signal?.aborted) throw error
      const message = error instanceof Error ? error.message : String(error)
      record = { ...emptyLookup(seq, taskSeq, tool, query, args, at), latencyMs: elapsedMs(start), outcome: 'error', error: message }
      observation = { documents: [], outcome: 'error', error: message }
    }
    this.lookups.push(record)
    await log.recordLookup(sessionId, record)
    return observation
  }
}

function outcomeOf(result: FetchResult): LookupOutcome {
  if (result.source === 'coalesced') return 'coalesced'
  const kind = result.decision.kind
  return kind === 'exact' || kind === 'semantic' || kind === 'bypass' ? kind : 'miss'
}

function lookupRecord(seq: number, taskSeq: number, tool: string, query: string, args: Record<string, unknown>, result: FetchResult, latencyMs: number, at: number): SessionLookup {
  const outcome = outcomeOf(result)
  const hit = outcome === 'exact' || outcome === 'semantic'
  return {
    ...emptyLookup(seq, taskSeq, tool, query, args, at),
    outcome,
    elementId: result.element?.id ?? null,
    prefetched: hit && result.element?.origin === 'prefetch',
    latencyMs,
    remoteLatencyMs: result.source === 'remote' ? result.latencyMs : 0,
    costUsd: result.costUsd,
    savedCostUsd: hit ? (result.element?.costUsd ?? 0) : 0,
    savedLatencyMs: hit ? (result.element?.latencyMs ?? 0) : 0,
    judgeMs: result.decision.judge ? result.decision.judge.ms : null,
    decision: result.decision,
  }
}

function emptyLookup(seq: number, taskSeq: number, tool: string, query: string, args: Record<string, unknown>, at: number): SessionLookup {
  return {
    seq, taskSeq, tool, query, args, outcome: 'miss', elementId: null, prefetched: false, latencyMs: 0, remoteLatencyMs: 0,
    costUsd: 0, savedCostUsd: 0, savedLatencyMs: 0, judgeMs: null, decision: null, error: null, at,
  }
}

/** The documents of a source result (sources return {documents}); anything else becomes one document. */
export function documentsOf(result: unknown): SourceDocument[] {
  const documents = (result as { documents?: unknown })?.documents
  if (Array.isArray(documents)) return documents.filter((d): d is SourceDocument => typeof (d as SourceDocument)?.text === 'string')
  return result === null || result === undefined ? [] : [{ id: 'result', text: typeof result === 'string' ? result : JSON.stringify(result) }]
}
