import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openAsteria } from '../../src/asteria.js'
import { defaultConfig } from '../../src/config/config.js'
import { FakeEmbedder } from '../helpers/fake-embedder.js'
import { useTempDirs } from '../helpers/temp-dir.js'

const tempDir = useTempDirs()

describe('padHitsMs (timing side channel)', () => {
  it('makes a hit take at least the configured time', async () => {
    // Given a cache that pads hits to 300 ms, with a stored answer
    const dir = tempDir()
    const config = { ...defaultConfig({}), db: join(dir, 'c.sqlite'), dataDir: dir, latencyMs: 0, padHitsMs: 300 }
    const asteria = await openAsteria(config, { embedder: new FakeEmbedder() })
    await asteria.cache.store({ query: 'who wrote hamlet', result: { documents: [{ id: '1', text: 'Shakespeare' }] } })
    // When the same question is asked
    const started = performance.now()
    const result = await asteria.ask('who wrote hamlet')
    const took = performance.now() - started
    await asteria.close()
    // Then it is a hit, and it did not answer sooner than the pad (timers never fire early; 10 ms slack for rounding)
    expect(result.source).toBe('cache')
    expect(took).toBeGreaterThanOrEqual(290)
  })
})
