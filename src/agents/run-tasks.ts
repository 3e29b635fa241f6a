import type { Asteria } from '../asteria.js'
import { elapsedMs, startTimer } from '../core/clock.js'
import type { SessionDetail, SessionLog, SessionLookup, SessionRecord, SessionSummary, SessionTask } from '../core/ports/session-log.js'
import type { AgentTask } from './agent-task.js'
import { containsGoldAnswer } from '../scoring/answer-accuracy.js'
import { SessionRecorder } from './session-recorder.js'
import { summarizeSession } from './session-summary.js'
import type { TaskAgent } from './task-agent.js'

export interface RunTasksOptions {
  asteria: Asteria
  log: SessionLog
  tasks: readonly AgentTask[]
  /** A built-in set name, a file path, or "ad hoc". */
  taskSet: string
  agent: TaskAgent
  agentNote?: string
  /** Tool -> source name, recorded with the session. */
  sources: Record<string, string>
  /** Tasks run at once (each task's look-ups stay in order). */
  concurrency?: number
  onTaskDone?: (task: SessionTask, lookups: SessionLookup[], done: number, total: number) => void
  /**
   * Stops the session (Ctrl+C): no task starts after it, tasks in flight are dropped (their source
   * calls abort), and the session is stored as `interrupted` with the tasks that finished.
   */
  signal?: AbortSignal
}

/** Runs the tasks as one session: every look-up goes through the cache and is recorded with its decision. */
export async function runTasks(options: RunTasksOptions): Promise<SessionDetail> {
  const { asteria, log, agent, signal } = options
  const clock = asteria.cache.clock
  const info = {
    startedAt: clock.now(),
    namespace: asteria.config.namespace,
    agent: agent.name,
    ...(options.agentNote ? { agentNote: options.agentNote } : {}),
    taskSet: options.taskSet,
    sources: options.sources,
    embedder: asteria.cache.embedder.fingerprint,
    policy: asteria.cache.policy.name,
  }
  const sessionId = await log.start(info)
  const recorder = new SessionRecorder({ asteria, log, sessionId, signal })
  const done: SessionTask[] = []
  const runOne = async (task: AgentTask, seq: number) => {
    const tools = recorder.forTask(seq)
    const start = startTimer()
    let record: SessionTask
    try {
      const outcome = await agent.run(task, tools)
      const correct = task.answers && task.answers.length > 0 ? containsGoldAnswer(outcome.evidence, task.answers) : null
      record = taskRecord(task, seq, agent.name, { answer: outcome.answer, correct, steps: outcome.steps, error: null })
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      record = taskRecord(task, seq, agent.name, { answer: '', correct: task.answers?.length ? false : null, steps: 0, error: message })
    }
    // A task the stop cut short has no result to report, only the look-ups it completed.
    if (signal?.aborted) return
    record.lookups = tools.count
    record.durationMs = elapsedMs(start)
    await log.recordTask(sessionId, record)
    done.push(record)
    options.onTaskDone?.(record, recorder.lookups.filter((l) => l.taskSeq === seq), done.length, options.tasks.length)
  }
  try {
    await inPool(options.tasks, Math.max(1, options.concurrency ?? 1), runOne, signal)
  } catch (error) {
    await log.finish(sessionId, clock.now(), 'failed', summarizeSession(sorted(done), sorted(recorder.lookups)))
    throw error
  }
  const tasks = sorted(done)
  // After a stop, this keeps the look-ups that completed in dropped tasks too: they were made and paid for.
  const lookups = sorted(recorder.lookups)
  const summary = { ...summarizeSession(tasks, lookups), thresholds: await thresholdsOfSession(asteria, info.startedAt) }
  const finishedAt = clock.now()
  const status = signal?.aborted ? 'interrupted' : 'finished'
  await log.finish(sessionId, finishedAt, status, summary)
  const session: SessionRecord = { id: log.currentId?.(sessionId) ?? sessionId, ...info, finishedAt, status, summary }
  return { session, tasks, lookups }
}

/** Waits for background verifications, then reads the thresholds in force and the changes calibration made since `since`. */
async function thresholdsOfSession(asteria: Asteria, since: number): Promise<NonNullable<SessionSummary['thresholds']>> {
  const { cache } = asteria
  await cache.settle()
  const history = await asteria.policyStores.calibration.history(cache.embedder.fingerprint, cache.policy.name)
  const changes = history.filter((change) => change.changedAt >= since).reverse().map((change) => change.reason)
  return { ...(await cache.thresholds()), changes }
}

function taskRecord(task: AgentTask, seq: number, agent: string, outcome: Pick<SessionTask, 'answer' | 'correct' | 'steps' | 'error'>): SessionTask {
  return { seq, id: task.id, kind: task.kind, question: task.question, agent, lookups: 0, durationMs: 0, ...outcome }
}

function sorted<T extends { seq: number }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.seq - b.seq)
}

/** Runs `work` over the items with at most `limit` in flight, in item order, starting none once `signal` aborts. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T, seq: number) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const index = next++
      await work(items[index], index + 1)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
