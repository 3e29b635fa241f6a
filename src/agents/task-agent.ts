import type { AgentTask } from './agent-task.js'
import type { KnowledgeTools } from './session-recorder.js'

export interface AgentOutcome {
  /** The agent's final answer (for a coding task: its plan or patch suggestion). */
  answer: string
  /** The text checked for gold answers: the answer itself, or in replay the retrieved passages. */
  evidence: string
  /** Model turns taken (0 in replay). */
  steps: number
}

/** Runs one task; every knowledge look-up goes through `tools` (the cache). */
export interface TaskAgent {
  /** "ollama:<model>" or "replay". */
  readonly name: string
  run(task: AgentTask, tools: KnowledgeTools): Promise<AgentOutcome>
}
