import { describe, expect, it } from 'vitest'
import { parseElementLines } from '../../../src/core/admin/element-io.js'

const result = { documents: [{ id: '1', text: 'x' }] }
const line = (over: Record<string, unknown>) => JSON.stringify({ query: 'what is dna', result, ...over })

describe('parseElementLines', () => {
  it('fills defaults and keeps a named source; an empty source counts as none', () => {
    const [plain, sourced, blank] = parseElementLines([line({}), line({ source: 'tavily' }), line({ source: '' })].join('\n'))
    expect(plain.element).toMatchObject({ namespace: 'default', tool: 'search', args: {}, staticity: 7 })
    expect(plain.element.source).toBeUndefined()
    expect(sourced.element.source).toBe('tavily')
    expect(blank.element.source).toBeUndefined()
  })

  it('names the line of an empty namespace or tool, which no look-up could reach', () => {
    expect(() => parseElementLines([line({}), line({ namespace: '' })].join('\n'))).toThrow(/^Line 2: expected "namespace" to be a non-empty string/)
    expect(() => parseElementLines(line({ tool: ' ' }))).toThrow(/^Line 1: expected "tool" to be a non-empty string/)
  })
})
