import { DOCS_TOOL, SEARCH_TOOL, type KnowledgeToolName } from '../core/knowledge-tools.js'

/** One recorded look-up of a task's plan. */
export interface PlannedLookup {
  tool: KnowledgeToolName
  query: string
  args?: Record<string, unknown>
}

/**
 * One agent task (DESIGN.md, "Task" format): a question, optional gold answers, and the
 * plan of look-ups that trace replay issues when no main model is available.
 */
export interface AgentTask {
  id: string
  kind: 'search' | 'coding'
  question: string
  answers?: string[]
  plan?: PlannedLookup[]
}

/** The tool a plain-text plan entry goes to. */
export function defaultTool(kind: AgentTask['kind']): KnowledgeToolName {
  return kind === 'coding' ? DOCS_TOOL : SEARCH_TOOL
}
