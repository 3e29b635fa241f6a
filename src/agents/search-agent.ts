import { SEARCH_TOOL } from '../core/knowledge-tools.js'
import type { KnowledgeTools } from './session-recorder.js'
import { DocumentShelf } from './observation.js'
import type { AgentTool } from './tool-loop.js'

export const SEARCH_AGENT_SYSTEM = [
  'You answer questions by searching a knowledge source.',
  'Call the search tool with a short query for each fact you need, one fact per call; results are numbered passages.',
  'Call open with a passage number to read that passage in full.',
  'When you know the answer, reply with the answer only: a short phrase, no explanation.',
  'If the passages do not contain it, give your best answer and add "(unverified)".',
].join(' ')

/** The search agent's tools: `search` (through the cache) and `open` (a result already fetched). */
export function searchAgentTools(tools: KnowledgeTools, shelf: DocumentShelf): AgentTool[] {
  return [
    {
      spec: {
        name: SEARCH_TOOL,
        description: 'Search the knowledge source. Returns numbered passages.',
        parameters: { type: 'object', properties: { query: { type: 'string', description: 'A short search query for one fact.' } }, required: ['query'] },
      },
      run: async (args) => {
        const query = typeof args.query === 'string' ? args.query.trim() : ''
        if (query === '') return 'The search tool needs a non-empty "query".'
        return shelf.present(await tools.lookup(SEARCH_TOOL, query))
      },
    },
    {
      spec: {
        name: 'open',
        description: 'Read one passage returned by an earlier search in full.',
        parameters: { type: 'object', properties: { passage: { type: 'string', description: 'The passage number, e.g. "2".' } }, required: ['passage'] },
      },
      run: async (args) => shelf.open(args.passage ?? args.id),
    },
  ]
}
