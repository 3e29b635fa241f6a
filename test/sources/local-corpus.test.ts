import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLocalSource } from '../../src/sources/default-source.js'
import { LocalCorpusSource } from '../../src/sources/local-corpus.js'

const ROWS = [
  { id: 'Tea#0', title: 'Tea', text: 'Tea is an aromatic beverage.' },
  { id: 'Green_tea#1', title: 'Green tea', text: 'Green tea is made from unoxidised tea leaves.' },
  { id: 'Tea_ceremony#2', title: 'Tea ceremony', text: 'A tea ceremony is a ritual of preparing tea.' },
  { id: 'Iced_tea#3', title: 'Iced tea', text: 'Iced tea is served cold.' },
  { id: 'Coffee#0', title: 'Coffee', text: 'Coffee is brewed from roasted beans.' },
]

describe('LocalCorpusSource', () => {
  let dir: string
  let fixtureFile: string
  let source: LocalCorpusSource | undefined

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'asteria-local-source-'))
    fixtureFile = join(dir, 'paragraphs.jsonl.gz')
    writeFileSync(fixtureFile, gzipSync(ROWS.map((row) => JSON.stringify(row)).join('\n')))
  })
  afterEach(() => {
    source?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('returns the top 3 passages by default, free, with a link to the article', async () => {
    // Given a local source over a small corpus
    source = new LocalCorpusSource({ dbPath: join(dir, 'index.sqlite'), fixtureFile })
    // When it is searched without k
    const call = await source.search('tea', {})
    // Then three scored passages come back at no cost
    expect(source.name).toBe('local')
    expect(call.costUsd).toBe(0)
    expect(call.result.documents).toHaveLength(3)
    expect(call.result.documents[0]).toMatchObject({ title: expect.any(String), text: expect.stringContaining('ea'), score: expect.any(Number) })
    expect(call.result.documents.map((d) => d.url)).toContain('https://en.wikipedia.org/wiki/Green_tea')
  })

  it('honours args.k and rejects a k that is not a small whole number', async () => {
    source = new LocalCorpusSource({ dbPath: join(dir, 'index.sqlite'), fixtureFile })
    expect((await source.search('tea', { k: 1 })).result.documents).toHaveLength(1)
    await expect(source.search('tea', { k: '5' })).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(source.search('tea', { k: 0 })).rejects.toMatchObject({ code: 'BAD_INPUT' })
  })
})

describe('createLocalSource', () => {
  let dataDir: string
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'asteria-default-source-'))
  })
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('puts the corpus behind a priced region and keeps the index in the data folder', async () => {
    // Given a data folder and no simulated delay
    const fixtureFile = join(dataDir, 'paragraphs.jsonl.gz')
    writeFileSync(fixtureFile, gzipSync(ROWS.map((row) => JSON.stringify(row)).join('\n')))
    const source = createLocalSource({ dataDir, latency: 0, fixtureFile })
    // When it is searched
    const call = await source.search('roasted beans', { k: 1 })
    source.close()
    // Then the call is priced like a remote API and the index file exists where expected
    expect(source.name).toBe('local@simulated-region')
    expect(call.costUsd).toBe(0.005)
    expect(call.result.documents.map((d) => d.id)).toEqual(['Coffee#0'])
    expect(existsSync(join(dataDir, 'corpus-index.sqlite'))).toBe(true)
  })
})
