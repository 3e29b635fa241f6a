import { describe, expect, it } from 'vitest'
import { scopeKey, type Scope } from '../../src/core/scope.js'
import { sourceIdentity } from '../../src/sources/source-identity.js'

const SCOPE: Scope = { namespace: 'default', tool: 'search', args: { region: 'us' }, embedder: 'static:glove50' }

describe('scopeKey', () => {
  it('keeps the keys of caches written before sources were recorded when no source is named', () => {
    // The key this scope had before the source joined the scope (cache files on disk carry it).
    expect(scopeKey(SCOPE)).toBe('174f2e7d16f28eac0f8e74f477e852d6')
    expect(scopeKey({ ...SCOPE, source: '' })).toBe('174f2e7d16f28eac0f8e74f477e852d6')
  })

  it('separates sources, and ignores the order of argument keys', () => {
    expect(scopeKey({ ...SCOPE, source: 'tavily' })).not.toBe(scopeKey({ ...SCOPE, source: 'local' }))
    expect(scopeKey({ ...SCOPE, source: 'local' })).not.toBe(scopeKey(SCOPE))
    expect(scopeKey({ ...SCOPE, args: { b: 1, a: 2 } })).toBe(scopeKey({ ...SCOPE, args: { a: 2, b: 1 } }))
  })
})

describe('sourceIdentity', () => {
  const settings = { wikipediaUrl: 'https://de.wikipedia.org/w/api.php', httpSource: { name: 'intranet', url: 'https://wiki.corp/search?q={query}', resultPath: 'r', fields: { text: 't' } } }
  it('names a Wikipedia edition by its host and an HTTP endpoint by its given name', () => {
    expect(sourceIdentity('wikipedia', settings)).toBe('wikipedia de.wikipedia.org')
    expect(sourceIdentity('http', settings)).toBe('intranet')
    expect(sourceIdentity('http', { ...settings, httpSource: { ...settings.httpSource, name: undefined } })).toBe('http wiki.corp')
    expect(sourceIdentity('tavily', settings)).toBe('tavily')
  })
})
