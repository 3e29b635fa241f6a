import type { Asteria } from '../asteria.js'
import { sourceNameForTool, type SourceName } from '../config/source-config.js'
import { createSource, type CreateSourceOptions, type SourceSettings } from '../sources/create-source.js'
import type { KnowledgeSource } from '../core/ports/knowledge-source.js'
import { sourceIdentity } from '../sources/source-identity.js'
import { CODE_TOOL, DOCS_TOOL, SEARCH_TOOL } from '../core/knowledge-tools.js'
import type { AgentTask } from './agent-task.js'
import { replayPlan } from './replay-agent.js'

/** The tools the tasks may call: search for search tasks, docs and code look-ups for coding tasks, plus any in their plans. */
export function toolsUsed(tasks: readonly AgentTask[]): string[] {
  const tools = new Set<string>()
  for (const task of tasks) {
    if (task.kind === 'search') tools.add(SEARCH_TOOL)
    else (tools.add(DOCS_TOOL), tools.add(CODE_TOOL))
    for (const step of replayPlan(task)) tools.add(step.tool)
  }
  return [...tools].sort()
}

/**
 * Creates the configured source for each tool (one instance per source name) and routes the
 * tool's look-ups to it. Returns tool -> source name, for the session record.
 */
export function attachToolSources(asteria: Asteria, tools: readonly string[], settings: SourceSettings, options: CreateSourceOptions = {}): Record<string, string> {
  const byName = new Map<SourceName, KnowledgeSource>()
  const routes: Record<string, string> = {}
  for (const tool of tools) {
    const name = sourceNameForTool(tool, settings)
    let source = byName.get(name)
    if (!source) {
      source = createSource(name, settings, options)
      byName.set(name, source)
    }
    asteria.useSource(tool, source, sourceIdentity(name, settings))
    routes[tool] = source.name
  }
  return routes
}
