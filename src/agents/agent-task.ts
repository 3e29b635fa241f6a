/** Tool names the agents use; each is its own cache scope and may have its own source. */
export const SEARCH_TOOL = 'search'
export const DOCS_TOOL = 'search_docs'
export const CODE_TOOL = 'search_code'
export const KNOWLEDGE_TOOLS = [SEARCH_TOOL, DOCS_TOOL, CODE_TOOL] as const
export type KnowledgeToolName = (typeof KNOWLEDGE_TOOLS)[number]

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
