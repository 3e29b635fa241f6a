import { describe, expect, it } from 'vitest'

describe('the public library API', () => {
  it('exports the cache, its parts and the services without running anything on import', async () => {
    // Given a fresh import of the package entry point
    const api = await import('../src/index.js')
    // Then the main pieces are there, as functions or classes
    for (const name of ['SemanticCache', 'openStore', 'loadStaticEmbedder', 'openAsteria', 'resolveConfig', 'checkGuard', 'resolveJudge', 'runTasks', 'startService', 'createMcpServer', 'AsteriaError']) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function')
    }
  })
})
