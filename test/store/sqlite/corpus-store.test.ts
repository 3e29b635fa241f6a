import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { fixturePath } from '../../../src/core/util/package-paths.js'
import { openCorpusIndex, toMatchExpression, type CorpusIndex } from '../../../src/store/sqlite/corpus-store.js'

const PARAGRAPHS = [
  { id: 'Paris#0', title: 'Paris', text: 'Paris is the capital and most populous city of France.' },
  { id: 'Tea#3', title: 'Tea', text: 'Tea is an aromatic beverage prepared by pouring hot water over cured leaves.' },
  { id: 'C_language#1', title: 'C language', text: 'C++ extends the C programming language with classes.' },
]

function writeFixture(dir: string, rows: object[], name = 'paragraphs.jsonl.gz'): string {
  const path = join(dir, name)
  writeFileSync(path, gzipSync(rows.map((row) => JSON.stringify(row)).join('\n') + '\n'))
  return path
}

describe('toMatchExpression', () => {
  it('quotes each content word and ORs them, so no user text is FTS5 syntax', () => {
    // Given a question full of FTS5 operators
    const query = `what's "C++"? (NEAR) -- AND: *foo^`
    // When it becomes a MATCH expression
    const expression = toMatchExpression(query)
    // Then only quoted words remain
    expect(expression).toBe('"c" OR "near" OR "foo"')
  })

  it('returns undefined for an empty or all-stopword query', () => {
    expect(toMatchExpression('')).toBeUndefined()
    expect(toMatchExpression('  ?!  ')).toBeUndefined()
    expect(toMatchExpression('what is the')).toBeUndefined()
  })
})

describe('openCorpusIndex', () => {
  let dir: string
  let opened: CorpusIndex[]

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'asteria-corpus-'))
    opened = []
  })
  afterEach(() => {
    for (const index of opened) index.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const open = (dbPath: string, fixture: string) => {
    const index = openCorpusIndex(dbPath, fixture)
    opened.push(index)
    return index
  }

  it('builds the index from the fixture on first use and ranks by bm25', () => {
    // Given a fixture and no index file yet
    const fixture = writeFixture(dir, PARAGRAPHS)
    // When the index is opened and searched
    const index = open(join(dir, 'index.sqlite'), fixture)
    const results = index.search('What is the capital of France?', 3)
    // Then it was built with every paragraph, and the Paris paragraph comes first
    expect(index.built).toBe(true)
    expect(index.passageCount).toBe(3)
    expect(results[0]).toMatchObject({ id: 'Paris#0', title: 'Paris', text: PARAGRAPHS[0].text })
    expect(results[0].score).toBeGreaterThan(0)
  })

  it('reopens an up-to-date index without rebuilding it', () => {
    // Given an index built from a fixture
    const fixture = writeFixture(dir, PARAGRAPHS)
    const dbPath = join(dir, 'index.sqlite')
    open(dbPath, fixture).close()
    opened = []
    // When it is opened again
    const index = open(dbPath, fixture)
    // Then nothing is rebuilt and the passages are still there
    expect(index.built).toBe(false)
    expect(index.buildMs).toBe(0)
    expect(index.search('hot beverage', 1).map((p) => p.id)).toEqual(['Tea#3'])
  })

  it('rebuilds when the fixture content changes', () => {
    // Given an index built from one fixture
    const dbPath = join(dir, 'index.sqlite')
    open(dbPath, writeFixture(dir, PARAGRAPHS)).close()
    opened = []
    // When the fixture is replaced by another and the index reopened
    const changed = writeFixture(dir, [{ id: 'Coffee#0', title: 'Coffee', text: 'Coffee is brewed from roasted beans.' }])
    const index = open(dbPath, changed)
    // Then the index holds only the new content
    expect(index.built).toBe(true)
    expect(index.passageCount).toBe(1)
    expect(index.search('roasted coffee beans', 3).map((p) => p.id)).toEqual(['Coffee#0'])
    expect(index.search('capital of France', 3)).toEqual([])
  })

  it('accepts punctuation-heavy questions without FTS5 syntax errors', () => {
    // Given an index
    const index = open(join(dir, 'index.sqlite'), writeFixture(dir, PARAGRAPHS))
    // When questions full of FTS5 operators are searched
    const queries = [`what's "C++"? (NEAR) -- AND: *foo^`, 'NOT tea OR', 'title:paris', '"unbalanced', 'a AND (b', 'NEAR(tea water, 2)']
    const results = queries.map((query) => index.search(query, 3))
    // Then each returns passages (or none) instead of throwing
    expect(results[0].map((p) => p.id)).toEqual(['C_language#1'])
    expect(results[1].map((p) => p.id)).toEqual(['Tea#3'])
    expect(results[2].map((p) => p.id)).toEqual(['Paris#0'])
    expect(results[5].map((p) => p.id)).toEqual(['Tea#3'])
  })

  it('returns no passages for an empty or all-stopword query', () => {
    const index = open(join(dir, 'index.sqlite'), writeFixture(dir, PARAGRAPHS))
    expect(index.search('', 3)).toEqual([])
    expect(index.search('who is the one?', 3)).toEqual([])
  })

  it('rejects a k outside 1..100', () => {
    const index = open(join(dir, 'index.sqlite'), writeFixture(dir, PARAGRAPHS))
    expect(() => index.search('tea', 0)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
    expect(() => index.search('tea', 2.5)).toThrow(/whole number/)
  })

  it('says where the fixture was expected when it is missing', () => {
    expect(() => openCorpusIndex(join(dir, 'index.sqlite'), join(dir, 'absent.jsonl.gz'))).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringContaining('absent.jsonl.gz') }),
    )
  })

  it('names the bad line of a malformed fixture and leaves no half-built index', () => {
    // Given a fixture whose second line lacks a text
    const fixture = writeFixture(dir, [PARAGRAPHS[0], { id: 'x', title: 'X' }])
    const dbPath = join(dir, 'index.sqlite')
    // When it is opened
    // Then the import fails on line 2, and a later good fixture still builds
    expect(() => openCorpusIndex(dbPath, fixture)).toThrow(expect.objectContaining({ code: 'IMPORT', message: expect.stringContaining('line 2') }))
    const index = open(dbPath, writeFixture(dir, PARAGRAPHS))
    expect(index.built).toBe(true)
    expect(index.passageCount).toBe(3)
  })
})

describe('openCorpusIndex on the shipped Wikipedia paragraphs', () => {
  let dir: string
  let index: CorpusIndex

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'asteria-corpus-shipped-'))
    index = openCorpusIndex(join(dir, 'corpus-index.sqlite'), fixturePath('corpus', 'wiki-paragraphs.jsonl.gz'))
  })
  afterAll(() => {
    index?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('finds the paragraph on who drafted the Declaration of Independence', () => {
    // Given the shipped corpus
    // When the demo's question is searched
    const results = index.search('who wrote the declaration of independence', 3)
    // Then the top three include the paragraph naming Thomas Jefferson
    expect(index.passageCount).toBeGreaterThan(20_000)
    expect(results.map((p) => p.id)).toContain('Modern_history#23')
    expect(results.find((p) => p.id === 'Modern_history#23')?.text).toContain('Thomas Jefferson')
  })

  it('finds paragraphs on the population of France', () => {
    const results = index.search('population of France in 2020', 3)
    expect(results.length).toBe(3)
    expect(results.some((p) => p.text.includes('France'))).toBe(true)
  })
})
