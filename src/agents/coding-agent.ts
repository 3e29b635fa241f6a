import { CODE_TOOL, DOCS_TOOL } from '../core/knowledge-tools.js'
import type { KnowledgeTools } from './session-recorder.js'
import type { DocumentShelf } from './observation.js'
import type { AgentTool } from './tool-loop.js'

export const CODING_AGENT_SYSTEM = [
  'You are a coding assistant that plans changes; you never run code.',
  'Look up what you need with search_docs (API reference: Python 3.11 and Node.js 18) and search_code (code examples), one topic per call.',
  'Then reply with a short plan: the steps, the functions or APIs to use and which passages document them, and a patch or code sketch when it helps.',
].join(' ')

const LANGUAGE = { type: 'string', description: 'Optional: python or node, to search one language only.', enum: ['python', 'node'] }

/** The coding agent's tools: documentation and code-example look-ups, both through the cache. */
export function codingAgentTools(tools: KnowledgeTools, shelf: DocumentShelf): AgentTool[] {
  const lookupTool = (name: string, description: string): AgentTool => ({
    spec: {
      name,
      description,
      parameters: { type: 'object', properties: { query: { type: 'string', description: 'What to look up, in a few words.' }, language: LANGUAGE }, required: ['query'] },
    },
    run: async (args) => {
      const query = typeof args.query === 'string' ? args.query.trim() : ''
      if (query === '') return `The ${name} tool needs a non-empty "query".`
      const language = args.language === 'python' || args.language === 'node' ? { language: args.language } : undefined
      return shelf.present(await tools.lookup(name, query, language))
    },
  })
  return [
    lookupTool(DOCS_TOOL, 'Search the API documentation. Returns numbered passages.'),
    lookupTool(CODE_TOOL, 'Search for code examples. Returns numbered passages with code.'),
  ]
}
