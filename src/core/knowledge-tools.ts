/** Tool names of knowledge look-ups (agents, MCP); each is its own cache scope and may have its own source. */
export const SEARCH_TOOL = 'search'
export const DOCS_TOOL = 'search_docs'
export const CODE_TOOL = 'search_code'
export const KNOWLEDGE_TOOLS = [SEARCH_TOOL, DOCS_TOOL, CODE_TOOL] as const
export type KnowledgeToolName = (typeof KNOWLEDGE_TOOLS)[number]
