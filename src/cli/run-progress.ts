import type { AgentTask } from '../agents/agent-task.js'
import { runAgentSession } from '../agents/run-session.js'
import type { Asteria } from '../asteria.js'
import type { SourceConfig } from '../config/source-config.js'
import { EXIT_CODES } from '../core/errors.js'
import type { SessionDetail } from '../core/ports/session-log.js'
import { formatTaskLine } from '../report/session-report.js'
import { closeOnSignals } from '../core/util/close-on-signals.js'
import { startProgress } from './spinner.js'

export interface RunWithProgressOptions {
  asteria: Asteria
  sources: SourceConfig
  tasks: readonly AgentTask[]
  taskSet: string
  concurrency: number
  /** --json: no spinner and no task lines. */
  json: boolean
}

/**
 * `asteria run`'s session as the terminal shows it: each task's line as it finishes, a spinner on
 * stderr counting tasks and hits, and Ctrl+C (or SIGTERM) ending the session as interrupted.
 */
export async function runWithProgress({ asteria, sources, tasks, taskSet, concurrency, json }: RunWithProgressOptions): Promise<SessionDetail> {
  const progress = await startProgress(`Starting ${tasks.length} task${tasks.length === 1 ? '' : 's'}…`, json)
  const interrupt = new AbortController()
  const stopListening = closeOnSignals(async () => interrupt.abort())
  let hits = 0
  return runAgentSession({
    asteria,
    sources,
    tasks,
    taskSet,
    concurrency,
    signal: interrupt.signal,
    onStart: (agent) => progress.update(`Running ${tasks.length} task${tasks.length === 1 ? '' : 's'} with ${agent}…`),
    onTaskDone: (task, lookups, done, total) => {
      hits += lookups.filter((l) => l.outcome === 'exact' || l.outcome === 'semantic').length
      if (!json) progress.log(formatTaskLine(task, lookups, total))
      progress.update(`task ${done}/${total}, ${hits} hit${hits === 1 ? '' : 's'}`)
    },
  }).finally(() => {
    stopListening()
    progress.stop()
  })
}

/** How a finished run ends: interrupted (130, with a notice), every look-up failed (a source problem), or fine. */
export function runEnding(detail: SessionDetail, taskCount: number): { exitCode?: number; message?: string } {
  if (detail.session.status === 'interrupted') {
    return { exitCode: EXIT_CODES.INTERRUPTED, message: `Interrupted: ${detail.tasks.length} of ${taskCount} tasks finished; session ${detail.session.id} is stored as interrupted.` }
  }
  const failed = detail.lookups.filter((l) => l.outcome === 'error')
  // The report stands, but a run where no look-up worked is a source problem, not a success.
  if (failed.length > 0 && failed.length === detail.lookups.length) return { exitCode: EXIT_CODES.SOURCE, message: `Every look-up failed. The first error: ${failed[0].error}` }
  return {}
}
