import type { AgentTask } from './agent-task.js'
import type { ChatModel, Schedule } from './chat-model.js'
import { runDirectly } from './chat-model.js'
import { CODING_AGENT_SYSTEM, codingAgentTools } from './coding-agent.js'
import type { KnowledgeTools } from './session-recorder.js'
import { DocumentShelf } from './observation.js'
import { SEARCH_AGENT_SYSTEM, searchAgentTools } from './search-agent.js'
import type { AgentOutcome, TaskAgent } from './task-agent.js'
import { runToolLoop } from './tool-loop.js'

export interface ModelAgentOptions {
  model: ChatModel
  maxSteps: number
  /** Where chat requests queue (the judge scheduler, at agent priority); default: sent at once. */
  schedule?: Schedule
}

/** The search agent for search tasks and the coding agent for coding tasks, on one chat model. */
export function createModelAgent(options: ModelAgentOptions): TaskAgent {
  return {
    name: `ollama:${options.model.name}`,
    async run(task: AgentTask, tools: KnowledgeTools): Promise<AgentOutcome> {
      const shelf = new DocumentShelf()
      const coding = task.kind === 'coding'
      const result = await runToolLoop({
        model: options.model,
        schedule: options.schedule ?? runDirectly,
        system: coding ? CODING_AGENT_SYSTEM : SEARCH_AGENT_SYSTEM,
        question: task.question,
        tools: coding ? codingAgentTools(tools, shelf) : searchAgentTools(tools, shelf),
        maxSteps: options.maxSteps,
      })
      return { answer: result.answer, evidence: result.answer, steps: result.steps }
    },
  }
}
