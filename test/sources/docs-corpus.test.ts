import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createDocsSource, DocsCorpusSource, docsUrl } from '../../src/sources/docs-corpus.js'

const ROWS = [
  { id: 'python/library/json.html#json.dumps', title: 'json.dumps — json (Python 3.11)', text: 'Serialize obj to a JSON formatted str.' },
  { id: 'python/library/json.html#json.loads', title: 'json.loads — json (Python 3.11)', text: 'Deserialize a str containing a JSON document.' },
  { id: 'node/json.html#jsonparse', title: 'JSON.parse — (Node.js 18)', text: 'Parses a JSON string into a value.' },
  { id: 'python/library/csv.html#csv.reader', title: 'csv.reader — csv (Python 3.11)', text: 'Return a reader object which will iterate over lines.' },
]

describe('DocsCorpusSource', () => {
  let dir: string
  let source: DocsCorpusSource | undefined
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'asteria-docs-'))
    writeFileSync(join(dir, 'docs.jsonl.gz'), gzipSync(ROWS.map((r) => JSON.stringify({ ...r, url: docsUrl(r.id) })).join('\n')))
  })
  afterEach(() => source?.close())
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('finds documentation passages and links each to its page on the documentation site', async () => {
    source = new DocsCorpusSource({ dbPath: join(dir, 'a.sqlite'), fixtureFile: join(dir, 'docs.jsonl.gz') })
    const call = await source.search('serialize to JSON', {})
    expect(source.name).toBe('docs')
    expect(call.costUsd).toBe(0)
    expect(call.result.documents[0]).toMatchObject({
      id: 'python/library/json.html#json.dumps',
      url: 'https://docs.python.org/3.11/library/json.html#json.dumps',
    })
  })

  it('keeps one language when asked (python or node; javascript means node)', async () => {
    source = new DocsCorpusSource({ dbPath: join(dir, 'b.sqlite'), fixtureFile: join(dir, 'docs.jsonl.gz') })
    const node = await source.search('parse a JSON string', { language: 'javascript' })
    const python = await source.search('parse a JSON string', { language: 'python' })
    expect(node.result.documents.map((d) => d.url)).toEqual(['https://nodejs.org/docs/latest-v18.x/api/json.html#jsonparse'])
    expect(python.result.documents.length).toBeGreaterThan(0)
    expect(python.result.documents.every((d) => d.id.startsWith('python/'))).toBe(true)
    await expect(source.search('x', { language: 'rust' })).rejects.toThrow(/language to be python or node; received "rust"/)
  })

  it('sits behind the simulated remote region, priced per call', async () => {
    const region = createDocsSource({ dataDir: dir, fixtureFile: join(dir, 'docs.jsonl.gz'), latency: 0, priceUsd: 0.002 })
    const call = await region.search('csv reader', {})
    region.close()
    expect(region.name).toBe('docs@simulated-region')
    expect(call.costUsd).toBe(0.002)
    expect(call.result.documents[0].id).toBe('python/library/csv.html#csv.reader')
  })

  it('ships Python and Node.js documentation that answers everyday look-ups', async () => {
    // Given the shipped docs corpus (index built on first search)
    source = new DocsCorpusSource({ dbPath: join(dir, 'shipped.sqlite') })
    // When a Python and a Node.js question are looked up
    const heap = await source.search('heapq nlargest', { language: 'python' })
    const readFile = await source.search('read a whole file fs.readFile', { language: 'node' })
    // Then the passages come from the right pages
    expect(heap.result.documents.map((d) => d.id)).toContain('python/library/heapq.html#heapq.nlargest')
    expect(readFile.result.documents.some((d) => d.id.startsWith('node/fs.html#') && /readfile/.test(d.id))).toBe(true)
  })
})

describe('docsUrl', () => {
  it('maps ids of known documentation sets to their sites, and nothing else', () => {
    expect(docsUrl('python/library/re.html#re.findall')).toBe('https://docs.python.org/3.11/library/re.html#re.findall')
    expect(docsUrl('node/fs.html#fsreadfilepath-options-callback')).toBe('https://nodejs.org/docs/latest-v18.x/api/fs.html#fsreadfilepath-options-callback')
    expect(docsUrl('ruby/array.html#x')).toBeUndefined()
  })
})
