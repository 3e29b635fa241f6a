import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { openAsteria, type Asteria } from '../../src/asteria.js'
import { defaultConfig } from '../../src/config/config.js'
import type { KnowledgeSource, SourceCall } from '../../src/core/ports/knowledge-source.js'
import { FakeEmbedder } from '../helpers/fake-embedder.js'
import { sharedDataDir } from '../helpers/shared-data.js'

/** A free, instant source that answers "about <query>" and records every call it gets. */
export function recordingSource(name = 'fake'): KnowledgeSource & { calls: { query: string; args: Record<string, unknown> }[] } {
  const calls: { query: string; args: Record<string, unknown> }[] = []
  return {
    name,
    pricePerCallUsd: 0.01,
    calls,
    async search(query: string, args: Record<string, unknown>): Promise<SourceCall> {
      calls.push({ query, args })
      const documents = [{ id: `${name}-${calls.length}`, title: `Result for ${query}`, text: `about ${query}: William Shakespeare wrote it around 1600.` }]
      return { result: { documents }, latencyMs: 300, costUsd: 0.01 }
    },
  }
}

/** A real cache (SQLite file in a temp folder) with a deterministic embedder; closed after the test. */
export function useTestAsteria(): () => Promise<Asteria> {
  const opened: { asteria: Asteria; dir: string }[] = []
  afterEach(async () => {
    for (const { asteria, dir } of opened.splice(0)) {
      await asteria.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asteria-agent-'))
    const config = { ...defaultConfig({ XDG_DATA_HOME: dir }), db: join(dir, 'cache.sqlite'), dataDir: sharedDataDir(), latencyMs: 0 as const }
    const asteria = await openAsteria(config, { embedder: new FakeEmbedder() })
    opened.push({ asteria, dir })
    return asteria
  }
}
