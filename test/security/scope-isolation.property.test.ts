import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/core/clock.js'
import { AsteriaError } from '../../src/core/errors.js'
import { normalizeQuery } from '../../src/core/normalize.js'
import { SemanticCache } from '../../src/core/cache/semantic-cache.js'
import { thresholdOnlyPolicy } from '../../src/core/ports/hit-policy.js'
import { openStore } from '../../src/store/sqlite/sqlite-store.js'
import { FakeEmbedder } from '../helpers/fake-embedder.js'
import { useTempDirs } from '../helpers/temp-dir.js'

const tempDir = useTempDirs()

interface ScopeCase {
  namespace: string
  tool: string
  args: Record<string, string>
  embedderTag: string
}

const scopeArb: fc.Arbitrary<ScopeCase> = fc.record({
  namespace: fc.constantFrom('a', 'b', 'tenant-1', 'Tenant-1', 'a '),
  tool: fc.constantFrom('search', 'search_docs', 'Search'),
  args: fc.constantFrom<Record<string, string>[]>({}, { region: 'us' }, { region: 'uk' }, { region: 'us', recency: 'week' }, { recency: 'week', region: 'us' }),
  embedderTag: fc.constantFrom('v1', 'v2'),
})

describe('scope isolation (property)', () => {
  it('never serves an element across namespaces, tools, tool arguments or embedders', async () => {
    // Given one cache file shared by caches of two embedders, with the loosest hit policy
    const store = openStore(join(tempDir(), 'fuzz.sqlite'))
    const caches = {
      v1: new SemanticCache({ store, embedder: new FakeEmbedder(64, 'v1'), policy: thresholdOnlyPolicy, thresholds: { tauSim: -1 }, clock: new ManualClock(0) }),
      v2: new SemanticCache({ store, embedder: new FakeEmbedder(64, 'v2'), policy: thresholdOnlyPolicy, thresholds: { tauSim: -1 }, clock: new ManualClock(0) }),
    }
    const sameScope = (x: ScopeCase, y: ScopeCase) =>
      x.namespace === y.namespace && x.tool === y.tool && x.embedderTag === y.embedderTag && JSON.stringify(Object.entries(x.args).sort()) === JSON.stringify(Object.entries(y.args).sort())

    await fc.assert(
      fc.asyncProperty(scopeArb, scopeArb, fc.string({ minLength: 1, maxLength: 40 }), async (stored, asked, text) => {
        fc.pre(normalizeQuery(text) !== '' && !sameScope(stored, asked))
        await store.clear()
        // When an answer is stored in one scope and any question is asked in another
        await caches[stored.embedderTag as 'v1' | 'v2'].store({ query: text, result: { documents: [{ id: '1', text: 'x' }] }, ...stored })
        const { decision } = await caches[asked.embedderTag as 'v1' | 'v2'].lookup(text, asked)
        // Then it is never a hit, even with a similarity threshold that accepts anything
        expect(decision.hit).toBe(false)
      }),
      { numRuns: 150 },
    )
  })

  it('accepts or cleanly rejects any query text, and stored text comes back as a hit', async () => {
    const store = openStore(join(tempDir(), 'text.sqlite'))
    const cache = new SemanticCache({ store, embedder: new FakeEmbedder(), clock: new ManualClock(0) })
    const text = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 100 }))
    await fc.assert(
      fc.asyncProperty(text, async (query) => {
        // When any text is stored
        const outcome = await cache.store({ query, result: { documents: [{ id: '1', text: 'answer' }] } }).then(
          (element) => ({ element, error: undefined }),
          (error: unknown) => ({ element: undefined, error }),
        )
        // Then only text without a word (a letter or digit) is refused, and only as bad input
        const wordless = normalizeQuery(query.toWellFormed()) === ''
        expect(outcome.error === undefined).toBe(!wordless)
        if (outcome.element === undefined) {
          expect(outcome.error).toBeInstanceOf(AsteriaError)
          expect((outcome.error as AsteriaError).code).toBe('BAD_INPUT')
          return
        }
        // And whatever was stored answers the same text again
        const { decision } = await cache.lookup(query)
        expect(decision.hit).toBe(true)
        expect(decision.elementId).toBe(outcome.element.id)
      }),
      { numRuns: 200 },
    )
  })
})
