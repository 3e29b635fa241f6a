import type { SessionInfo, SessionLookup, SessionRecord, SessionStatus, SessionSummary, SessionTask } from '../core/ports/session-log.js'

/**
 * Rows of the session tables, shared by the SQLite file and the PostgreSQL tier (same columns,
 * booleans as 0/1 integers in both), and the column lists with their values in that order.
 */
export interface SessionRow {
  id: number
  started_at: number
  finished_at: number | null
  status: SessionStatus
  namespace: string
  agent: string
  agent_note: string | null
  task_set: string
  sources_json: string
  embedder: string
  policy: string
  summary_json: string | null
  /** Only in the shared tier. */
  machine?: string
}

export interface TaskRow {
  seq: number
  task_id: string
  kind: 'search' | 'coding'
  question: string
  agent: string
  answer: string
  correct: number | null
  lookups: number
  steps: number
  duration_ms: number
  error: string | null
}

export interface LookupRow {
  seq: number
  task_seq: number
  tool: string
  query: string
  args_json: string
  outcome: SessionLookup['outcome']
  element_id: number | null
  prefetched: number
  latency_ms: number
  remote_latency_ms: number
  cost_usd: number
  saved_cost_usd: number
  saved_latency_ms: number
  judge_ms: number | null
  decision_json: string | null
  error: string | null
  at: number
}

export const SESSION_COLUMNS = ['started_at', 'namespace', 'agent', 'agent_note', 'task_set', 'sources_json', 'embedder', 'policy']
export const TASK_COLUMNS = ['session_id', 'seq', 'task_id', 'kind', 'question', 'agent', 'answer', 'correct', 'lookups', 'steps', 'duration_ms', 'error']
export const LOOKUP_COLUMNS = [
  'session_id', 'seq', 'task_seq', 'tool', 'query', 'args_json', 'outcome', 'element_id', 'prefetched', 'latency_ms',
  'remote_latency_ms', 'cost_usd', 'saved_cost_usd', 'saved_latency_ms', 'judge_ms', 'decision_json', 'error', 'at',
]

export function sessionValues(info: SessionInfo): unknown[] {
  return [Math.round(info.startedAt), info.namespace, info.agent, info.agentNote ?? null, info.taskSet, JSON.stringify(info.sources), info.embedder, info.policy]
}

export function taskValues(sessionId: number, t: SessionTask): unknown[] {
  return [sessionId, t.seq, t.id, t.kind, t.question, t.agent, t.answer, t.correct === null ? null : t.correct ? 1 : 0, t.lookups, t.steps, t.durationMs, t.error]
}

export function lookupValues(sessionId: number, l: SessionLookup): unknown[] {
  return [
    sessionId, l.seq, l.taskSeq, l.tool, l.query, JSON.stringify(l.args), l.outcome, l.elementId, l.prefetched ? 1 : 0,
    l.latencyMs, l.remoteLatencyMs, l.costUsd, l.savedCostUsd, l.savedLatencyMs, l.judgeMs,
    l.decision === null ? null : JSON.stringify(l.decision), l.error, Math.round(l.at),
  ]
}

export function toSessionInfo(row: SessionRow): SessionInfo {
  return {
    startedAt: row.started_at,
    namespace: row.namespace,
    agent: row.agent,
    ...(row.agent_note === null ? {} : { agentNote: row.agent_note }),
    taskSet: row.task_set,
    sources: JSON.parse(row.sources_json) as Record<string, string>,
    embedder: row.embedder,
    policy: row.policy,
  }
}

export function toSessionRecord(row: SessionRow): SessionRecord {
  const { startedAt, namespace, agent, agentNote, taskSet, sources, embedder, policy } = toSessionInfo(row)
  return {
    id: row.id,
    startedAt,
    finishedAt: row.finished_at,
    status: row.status,
    namespace,
    agent,
    ...(agentNote === undefined ? {} : { agentNote }),
    taskSet,
    sources,
    embedder,
    policy,
    summary: row.summary_json === null ? null : (JSON.parse(row.summary_json) as SessionSummary),
    ...(row.machine ? { machine: row.machine } : {}),
  }
}

export function toSessionTask(row: TaskRow): SessionTask {
  return {
    seq: row.seq,
    id: row.task_id,
    kind: row.kind,
    question: row.question,
    agent: row.agent,
    answer: row.answer,
    correct: row.correct === null ? null : row.correct === 1,
    lookups: row.lookups,
    steps: row.steps,
    durationMs: row.duration_ms,
    error: row.error,
  }
}

export function toSessionLookup(row: LookupRow): SessionLookup {
  return {
    seq: row.seq,
    taskSeq: row.task_seq,
    tool: row.tool,
    query: row.query,
    args: JSON.parse(row.args_json) as Record<string, unknown>,
    outcome: row.outcome,
    elementId: row.element_id,
    prefetched: row.prefetched === 1,
    latencyMs: row.latency_ms,
    remoteLatencyMs: row.remote_latency_ms,
    costUsd: row.cost_usd,
    savedCostUsd: row.saved_cost_usd,
    savedLatencyMs: row.saved_latency_ms,
    judgeMs: row.judge_ms,
    decision: row.decision_json === null ? null : JSON.parse(row.decision_json),
    error: row.error,
    at: row.at,
  }
}
