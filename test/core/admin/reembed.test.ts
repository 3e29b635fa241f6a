import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/core/clock.js'
import { embedderChangeNotice, reembedElements } from '../../../src/core/admin/reembed.js'
import { SemanticCache } from '../../../src/core/cache/semantic-cache.js'
import { openStore } from '../../../src/store/sqlite/sqlite-store.js'
import { FakeEmbedder } from '../../helpers/fake-embedder.js'
import { useTempDirs } from '../../helpers/temp-dir.js'
import { contextOf } from '../../../src/core/cache/cache-context.js'

const tempDir = useTempDirs()

describe('reembedElements', () => {
  it('moves elements of an old embedder to the new one, keeping results and expiry', async () => {
    // Given a cache filled with embedder v1, reopened with embedder v2 (other dimensions)
    const path = join(tempDir(), 'cache.sqlite')
    const clock = new ManualClock(1000)
    const sourceFor = () => 'tavily'
    const old = new SemanticCache({ store: openStore(path), embedder: new FakeEmbedder(64, 'v1'), clock, sourceFor })
    const stored = await old.store({ query: 'who wrote hamlet', result: { documents: [{ id: '1', text: 'Shakespeare' }] }, namespace: 'n', tool: 'search' })
    await old.close()
    const cache = new SemanticCache({ store: openStore(path), embedder: new FakeEmbedder(32, 'v2'), clock, sourceFor })

    // Then before re-embedding the old element cannot answer, and the user is told why
    expect((await cache.lookup('who wrote hamlet', { namespace: 'n' })).decision.hit).toBe(false)
    expect(await embedderChangeNotice(cache)).toMatch(/1 by fake:bow64:v1.*asteria cache reembed/)

    // When the elements are re-embedded
    const report = await reembedElements(cache)

    // Then the same answer is served under the new embedder, from the same source, with the same expiry, and nothing is left behind
    expect(report.moved).toEqual({ 'fake:bow64:v1': 1 })
    const { decision, element } = await cache.lookup('who wrote hamlet', { namespace: 'n' })
    expect(decision.hit).toBe(true)
    expect(element).toMatchObject({ embedder: 'fake:bow32:v2', source: 'tavily', result: stored.result, expiresAt: stored.expiresAt })
    expect((await contextOf(cache).store.all()).map((e) => e.embedder)).toEqual(['fake:bow32:v2'])
    expect(await embedderChangeNotice(cache)).toBeUndefined()
  })
})
