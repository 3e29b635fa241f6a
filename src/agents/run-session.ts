import type { Asteria } from '../asteria.js'
import type { SourceConfig } from '../config/source-config.js'
import { ollamaUrl } from '../ollama/host.js'
import type { SessionDetail, SessionLookup, SessionTask } from '../core/ports/session-log.js'
import { openSessionLog } from '../store/session-store.js'
import type { CreateSourceOptions } from '../sources/create-source.js'
import type { AgentTask } from './agent-task.js'
import type { Schedule } from './chat-model.js'
import { resolveAgent } from './resolve-agent.js'
import { runTasks } from './run-tasks.js'
import { attachToolSources, toolsUsed } from './tool-sources.js'

export interface AgentSessionOptions {
  asteria: Asteria
  sources: SourceConfig
  tasks: readonly AgentTask[]
  /** A built-in set name, a file path, or "ad hoc". */
  taskSet: string
  concurrency?: number
  /** Agent chat requests go through this; default: the judge's scheduler at agent priority, else at once. */
  schedule?: Schedule
  sourceOptions?: CreateSourceOptions
  /** Called once the agent is chosen, before the first task (progress display). */
  onStart?: (agent: string, note: string | undefined) => void
  onTaskDone?: (task: SessionTask, lookups: SessionLookup[], done: number, total: number) => void
  /** Stops the session, which is then stored as interrupted (see runTasks). */
  signal?: AbortSignal
}

/**
 * `asteria run`: routes each tool to its configured source, picks the agent (a model when
 * one is reachable, else replay), and runs the tasks as one recorded session.
 */
export async function runAgentSession(options: AgentSessionOptions): Promise<SessionDetail> {
  const { asteria, sources } = options
  const routes = attachToolSources(
    asteria,
    toolsUsed(options.tasks),
    { ...sources, dataDir: asteria.config.dataDir, latencyMs: asteria.config.latencyMs, priceUsd: asteria.config.priceUsd },
    options.sourceOptions,
  )
  const { agent, note } = await resolveAgent({
    requested: sources.agent,
    host: ollamaUrl(asteria.config.ollamaHost),
    model: sources.agentModel,
    think: sources.agentThink,
    maxSteps: sources.agentMaxSteps,
    // With an Ollama judge, its scheduler runs the agent's requests first (agent priority).
    schedule: options.schedule ?? (asteria.scheduler ? (request) => asteria.scheduler!.run('agent', request) : undefined),
  })
  options.onStart?.(agent.name, note)
  return runTasks({
    asteria,
    log: openSessionLog(asteria.store),
    tasks: options.tasks,
    taskSet: options.taskSet,
    agent,
    agentNote: note,
    sources: routes,
    concurrency: options.concurrency,
    onTaskDone: options.onTaskDone,
    signal: options.signal,
  })
}
