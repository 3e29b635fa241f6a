import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CacheStats } from '../../src/core/admin/stats.js'
import type { elementJson, fetchJson } from '../../src/report/fetch-json.js'
import { errorText, useCliSandbox } from '../helpers/run-cli.js'

type QueryJson = ReturnType<typeof fetchJson>
type ElementJson = ReturnType<typeof elementJson>
type ElementList = { elements: ElementJson[] }

const DNA = 'what is dna'
const EIFFEL = 'where is the eiffel tower'

describe('asteria cache', () => {
  const cli = useCliSandbox()

  it('inspect --json lists every element with its metadata', async () => {
    // Given two answered questions
    await cli.ask(DNA)
    await cli.ask(EIFFEL)

    // When the cache is listed
    const run = await cli.run(['cache', 'inspect', '--json'])

    // Then both elements are there with every metadata field
    expect(run.exitCode).toBe(0)
    const { elements } = JSON.parse(run.stdout) as ElementList
    expect(elements.map((e) => e.query).sort()).toEqual([DNA, EIFFEL])
    for (const element of elements) {
      expect(element).toMatchObject({
        id: expect.any(Number),
        tool: 'search',
        namespace: 'default',
        args: {},
        scopeKey: expect.any(String),
        embedder: expect.stringMatching(/^static:/),
        latencyMs: expect.any(Number),
        costUsd: expect.any(Number),
        staticity: expect.any(Number),
        frequency: 0,
        sizeBytes: expect.any(Number),
        createdAt: expect.any(Number),
        lastAccessAt: expect.any(Number),
        expiresAt: expect.any(Number),
        ttlLeftMs: expect.any(Number),
        expired: false,
      })
      expect(element.costUsd).toBeGreaterThan(0)
      expect(element.sizeBytes).toBeGreaterThan(0)
      expect(element.expiresAt).toBeGreaterThan(element.createdAt)
      expect(element.ttlLeftMs).toBeGreaterThan(0)
      expect(element).not.toHaveProperty('embedding')
    }
  })

  it('inspect ID --json shows the element and its nearest neighbours', async () => {
    // Given two answered questions
    const dna = await cli.ask(DNA)
    const eiffel = await cli.ask(EIFFEL)

    // When the first is inspected by id
    const run = await cli.run(['cache', 'inspect', String(dna.element!.id), '--json'])

    // Then it comes with the other element as a neighbour and their similarity
    expect(run.exitCode).toBe(0)
    const out = JSON.parse(run.stdout) as { element: ElementJson; neighbours: { id: number; query: string; similarity: number }[] }
    expect(out.element).toMatchObject({ id: dna.element!.id, query: DNA })
    expect(out.neighbours).toEqual([{ id: eiffel.element!.id, query: EIFFEL, similarity: expect.any(Number) }])
  })

  it('inspect exits 4 for an unknown id and 2 for one that is not a number', async () => {
    // Given a cache with one element
    await cli.ask(DNA)

    // When an id that does not exist, and one that is not a number, are inspected
    const [unknown, notNumber] = await Promise.all([cli.run(['cache', 'inspect', '999']), cli.run(['cache', 'inspect', 'abc', '--json'])])

    // Then the first is "not found" and the second bad input
    expect(unknown.exitCode).toBe(4)
    expect(errorText(unknown.stderr)).toContain('No element with id 999')
    expect(notNumber.exitCode).toBe(2)
    expect(JSON.parse(notNumber.stdout)).toMatchObject({ error: { code: 'BAD_INPUT', exitCode: 2, message: expect.stringContaining('"abc"') } })
  })

  it('stats --json counts requests, hits and misses', async () => {
    // Given a question asked twice and another once
    await cli.ask(DNA)
    await cli.ask(DNA)
    await cli.ask(EIFFEL)

    // When the statistics are read
    const run = await cli.run(['cache', 'stats', '--json'])

    // Then three requests: one exact hit, two misses, two elements
    expect(run.exitCode).toBe(0)
    const stats = JSON.parse(run.stdout) as CacheStats
    expect(stats).toMatchObject({
      location: cli.db,
      requests: 3,
      hits: { exact: 1, semantic: 0, total: 1 },
      misses: 2,
      remoteCalls: 2,
      summary: { elements: 2, expired: 0 },
    })
    expect(stats.hitRate).toBeCloseTo(1 / 3)
  })

  it('delete ID removes that element', async () => {
    // Given two elements
    const dna = await cli.ask(DNA)
    await cli.ask(EIFFEL)

    // When the first is deleted by id
    const run = await cli.run(['cache', 'delete', String(dna.element!.id)])

    // Then only the other is left
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain(`Deleted element #${dna.element!.id}.`)
    const { elements } = await cli.json<ElementList>(['cache', 'inspect'])
    expect(elements.map((e) => e.query)).toEqual([EIFFEL])
  })

  it('delete --query removes what is stored for that question', async () => {
    // Given two elements
    await cli.ask(DNA)
    await cli.ask(EIFFEL)

    // When one is deleted by its question (in other case and punctuation)
    const run = await cli.run(['cache', 'delete', '--query', 'What is DNA?', '--json'])

    // Then it is gone and the other is left
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual({ deleted: 1 })
    const { elements } = await cli.json<ElementList>(['cache', 'inspect'])
    expect(elements.map((e) => e.query)).toEqual([EIFFEL])
  })

  it('clear refuses without --yes and deletes everything with it', async () => {
    // Given two elements
    await cli.ask(DNA)
    await cli.ask(EIFFEL)

    // When clear runs without confirmation
    const refused = await cli.run(['cache', 'clear'])

    // Then it exits 2, says how to confirm, and deletes nothing
    expect(refused.exitCode).toBe(2)
    expect(errorText(refused.stderr)).toContain('--yes')
    expect((await cli.json<ElementList>(['cache', 'inspect'])).elements).toHaveLength(2)

    // When it runs with --yes
    const cleared = await cli.run(['cache', 'clear', '--yes', '--json'])

    // Then both elements are deleted
    expect(cleared.exitCode).toBe(0)
    expect(JSON.parse(cleared.stdout)).toMatchObject({ deleted: 2 })
    expect((await cli.json<ElementList>(['cache', 'inspect'])).elements).toEqual([])
  })

  it('export then import into a fresh cache round-trips every element', async () => {
    // Given two elements exported to a file
    await cli.ask(DNA)
    await cli.ask(EIFFEL)
    const file = join(cli.dir, 'cache.jsonl')
    const exported = await cli.run(['cache', 'export', '--output', file])
    expect(exported.exitCode).toBe(0)
    expect(exported.stderr).toContain(`Exported 2 elements to ${file}.`)
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(2)

    // When the file is imported into another cache file
    const fresh = join(cli.dir, 'fresh.sqlite')
    const run = await cli.run(['cache', 'import', file, '--db', fresh, '--json'])

    // Then that cache holds the same questions, and answers them exactly
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual({ imported: 2, skipped: 0 })
    const { elements } = await cli.json<ElementList>(['cache', 'inspect', '--db', fresh])
    expect(elements.map((e) => e.query).sort()).toEqual([DNA, EIFFEL])
    const again = await cli.json<QueryJson>(['query', DNA, '--db', fresh])
    expect(again.decision.kind).toBe('exact')
    // And importing the same file again stores nothing twice
    expect(await cli.json(['cache', 'import', file, '--db', fresh])).toEqual({ imported: 0, skipped: 2 })
    expect((await cli.json<ElementList>(['cache', 'inspect', '--db', fresh])).elements).toHaveLength(2)
  })

  it('refuses to import a folder or a missing file as a bad input file (exit 9), importing nothing', async () => {
    const [folder, missing] = await Promise.all([cli.run(['cache', 'import', cli.dir]), cli.run(['cache', 'import', join(cli.dir, 'nope.jsonl')])])
    expect(folder.exitCode).toBe(9)
    expect(errorText(folder.stderr)).toContain(`${cli.dir} cannot be read: it is a folder. Nothing was imported.`)
    expect(missing.exitCode).toBe(9)
    expect(errorText(missing.stderr)).toContain('nope.jsonl does not exist. Nothing was imported.')
  })

  it('import keeps the knowledge source a line names; a line naming none is stored as the importing cache\'s', async () => {
    // Given an exported element of the local corpus, and two hand-written lines: one fetched from Tavily, one naming no source
    await cli.ask(DNA)
    const [exported] = (await cli.run(['cache', 'export'])).stdout.trimEnd().split('\n')
    expect(JSON.parse(exported)).toMatchObject({ query: DNA, source: 'local' })
    const result = { documents: [{ id: 'x', text: 'The Eiffel Tower is in Paris.' }] }
    const file = join(cli.dir, 'mixed.jsonl')
    writeFileSync(file, [JSON.stringify({ query: EIFFEL, source: 'tavily', result }), JSON.stringify({ query: 'what is rna', result })].join('\n'))
    // When they are imported into a fresh cache that answers from the local corpus
    const fresh = join(cli.dir, 'fresh.sqlite')
    expect((await cli.run(['cache', 'import', file, '--db', fresh])).exitCode).toBe(0)
    // Then the Tavily answer is kept apart from local look-ups, and the other answers them
    const { elements } = await cli.json<ElementList>(['cache', 'inspect', '--db', fresh])
    expect(Object.fromEntries(elements.map((e) => [e.query, e.source]))).toEqual({ [EIFFEL]: 'tavily', 'what is rna': 'local' })
    expect((await cli.json<QueryJson>(['query', 'what is rna', '--db', fresh])).source).toBe('cache')
    expect((await cli.json<QueryJson>(['query', EIFFEL, '--db', fresh])).source).toBe('remote')
  })

  it('import of a file with a malformed line 3 exits 9, names the line, and imports nothing', async () => {
    // Given an export whose third line is broken
    await cli.ask(DNA)
    await cli.ask(EIFFEL)
    const [first, second] = (await cli.run(['cache', 'export'])).stdout.trimEnd().split('\n')
    const file = join(cli.dir, 'broken.jsonl')
    writeFileSync(file, [first, second, '{"query": "what is rna", "result": ', first].join('\n') + '\n')

    // When it is imported into a fresh cache
    const fresh = join(cli.dir, 'fresh.sqlite')
    const run = await cli.run(['cache', 'import', file, '--db', fresh])

    // Then the import fails on line 3 and the fresh cache is still empty
    expect(run.exitCode).toBe(9)
    expect(errorText(run.stderr)).toMatch(/Line 3: .*Nothing was imported/)
    const stats = await cli.json<CacheStats>(['cache', 'stats', '--db', fresh])
    expect(stats.summary.elements).toBe(0)
  })

  it('keeps namespaces apart: an answer stored under one is no hit under another', async () => {
    // Given a question answered in namespace a
    await cli.ask(DNA, { namespace: 'a' })

    // When the same question is asked in namespace b, then again in a
    const other = await cli.run(['query', DNA, '--namespace', 'b', '--json'])
    const same = await cli.run(['query', DNA, '--namespace', 'a', '--json'])

    // Then b misses (nothing of a is even a candidate) and a hits
    expect(other.exitCode).toBe(0)
    const miss = JSON.parse(other.stdout) as QueryJson
    expect(miss).toMatchObject({ hit: false, source: 'remote' })
    expect(miss.decision.candidates).toEqual([])
    expect(miss.element?.namespace).toBe('b')
    expect(same.exitCode).toBe(0)
    expect(JSON.parse(same.stdout)).toMatchObject({ hit: true, decision: { kind: 'exact' } })
  })
})
