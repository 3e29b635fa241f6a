import { SOURCE_NAMES, sourceNameForTool, type SourceName } from '../config/source-config.js'
import { createSource, type SourceSettings } from './create-source.js'
import type { KnowledgeSource } from '../core/ports/knowledge-source.js'
import { sourceIdentity } from './source-identity.js'

/**
 * Which knowledge source answers each tool, and the identity its answers are stored under: a
 * source routed with use(), else the one configured for the tool (`source`, or `docsSource` for
 * search_docs, `codeSource` for search_code), created on first use — one instance per name.
 */
export class ToolRoutes {
  private readonly routed = new Map<string, { source: KnowledgeSource; identity: string }>()
  private readonly created = new Map<SourceName, KnowledgeSource>()

  constructor(private readonly settings: SourceSettings) {}

  /** A source of a configured kind is stored under the identity the configured one would have. */
  use(tool: string, source: KnowledgeSource, identity?: string): void {
    const known = (SOURCE_NAMES as readonly string[]).includes(source.name) ? sourceIdentity(source.name as SourceName, this.settings) : source.name
    this.routed.set(tool, { source, identity: identity ?? known })
  }

  source(tool: string): KnowledgeSource {
    const routed = this.routed.get(tool)
    if (routed) return routed.source
    const name = sourceNameForTool(tool, this.settings)
    let source = this.created.get(name)
    if (!source) {
      source = createSource(name, this.settings)
      this.created.set(name, source)
    }
    return source
  }

  /** Known without creating the source (the local corpus builds an index on creation). */
  identity(tool: string): string {
    return this.routed.get(tool)?.identity ?? sourceIdentity(sourceNameForTool(tool, this.settings), this.settings)
  }

  async close(): Promise<void> {
    const sources = new Set([...this.created.values(), ...[...this.routed.values()].map((r) => r.source)])
    for (const source of sources) await source.close?.()
  }
}
