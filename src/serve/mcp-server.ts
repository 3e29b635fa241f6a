import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { z } from 'zod'
import type { Asteria } from '../asteria.js'
import { cacheStats } from '../core/admin/stats.js'
import { isAsteriaError } from '../core/errors.js'
import type { FetchOptions } from '../core/cache/requests.js'
import { servedJson, statsJson } from '../report/serve-json.js'
import { servedText, statsText } from './mcp-text.js'
import { ServeError } from './serve-errors.js'
import { DOCS_TOOL } from '../core/knowledge-tools.js'

export interface McpServerOptions {
  version: string
  /** The namespace every tool works in (a token's over HTTP); default: the configured one. */
  namespace?: string
  /** Runs cache work (under a deadline, tracked for shutdown); default: runs it directly. */
  perform?: <T>(work: () => Promise<T>) => Promise<T>
  /** Where unexpected errors are reported (never stdout: over stdio it carries the protocol). */
  logError?: (error: unknown) => void
}

const saving = z.object({ latencyMs: z.number(), costUsd: z.number() })

// The public look-up shape (fetchJson + saved); the decision record and element stay open-ended.
const servedOutput = z.looseObject({
  query: z.string(),
  source: z.enum(['cache', 'remote', 'coalesced']),
  hit: z.boolean(),
  latencyMs: z.number(),
  costUsd: z.number(),
  saved: saving,
  result: z.unknown(),
})

const statsOutput = z.looseObject({
  namespace: z.string().nullable(),
  requests: z.number(),
  hitRate: z.number().nullable(),
  costSavedUsd: z.number(),
  latencySavedMs: z.number(),
})

const query = z.string().min(1).describe('The question or search terms, in natural language.')
const refresh = z.boolean().optional().describe('Ask the source again and replace the cached answer (when it looked stale or wrong).')

/** The MCP face of the cache: `search`, `search_docs` and `cache_stats`, answered through one Asteria. */
export function createMcpServer(asteria: Asteria, options: McpServerOptions): McpServer {
  const namespace = options.namespace ?? asteria.config.namespace
  const perform = options.perform ?? (<T>(work: () => Promise<T>) => work())
  const server = new McpServer(
    { name: 'asteria', version: options.version },
    {
      instructions:
        'Asteria is a semantic cache in front of a knowledge source: a question already answered, even in other words, is served from the cache at no cost. ' +
        'Each result says whether it was a cache hit and what that saved.',
    },
  )

  const ask = (text: string, fetchOptions: FetchOptions) =>
    answer(options, async () => {
      const served = servedJson(text, await perform(() => asteria.ask(text, { ...fetchOptions, namespace })), asteria.cache.clock.now())
      return { content: [{ type: 'text', text: servedText(served) }], structuredContent: served }
    })

  server.registerTool(
    'search',
    {
      title: 'Search (cached)',
      description: 'Search the web or corpus through the cache. Paraphrases of earlier searches are served from the cache; the result says whether it was a hit and what it saved.',
      inputSchema: { query, refresh },
      outputSchema: servedOutput,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    ({ query: text, refresh: again }) => ask(text, { tool: 'search', refresh: again }),
  )

  server.registerTool(
    DOCS_TOOL,
    {
      title: 'Search documentation (cached)',
      description: 'Look something up in software documentation through the cache (kept apart from web searches). Give the library and version when the answer depends on them.',
      inputSchema: {
        query,
        library: z.string().min(1).max(200).optional().describe('Library or product, e.g. "react" or "postgresql".'),
        version: z.string().min(1).max(50).optional().describe('Version the answer must hold for, e.g. "18" or "16.2".'),
        refresh,
      },
      outputSchema: servedOutput,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    ({ query: text, library, version, refresh: again }) =>
      ask(text, { tool: DOCS_TOOL, args: definedOnly({ library, version }), refresh: again }),
  )

  server.registerTool(
    'cache_stats',
    {
      title: 'Cache statistics',
      description: "Requests, hits, hit rate and the time and money the cache saved in this agent's namespace.",
      inputSchema: {},
      outputSchema: statsOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () =>
      answer(options, async () => {
        const stats = statsJson(await perform(() => cacheStats(asteria.cache, namespace)))
        return { content: [{ type: 'text', text: statsText(stats) }], structuredContent: stats }
      }),
  )
  return server
}

/** Known failures become tool errors the agent can act on; anything else is logged, not shown. */
async function answer(options: McpServerOptions, work: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await work()
  } catch (error) {
    if (isAsteriaError(error) || error instanceof ServeError) {
      const tips = error.suggestions.length > 0 ? `\nTry this: ${error.suggestions.join(' ')}` : ''
      return { isError: true, content: [{ type: 'text', text: `${error.message}${tips}` }] }
    }
    options.logError?.(error)
    return { isError: true, content: [{ type: 'text', text: 'An unexpected error stopped this tool call; the server logged it.' }] }
  }
}

function definedOnly(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined))
}
