import { describe, expect, it } from 'vitest'
import { MAX_QUERY_BYTES } from '../../src/core/query-limits.js'
import type { fetchJson } from '../../src/report/fetch-json.js'
import type { elementJson } from '../../src/report/fetch-json.js'
import { errorText, useCliSandbox } from '../helpers/run-cli.js'

type QueryJson = ReturnType<typeof fetchJson>
type ElementJson = ReturnType<typeof elementJson>

const AUTHOR = 'who wrote the declaration of independence'
const AUTHOR_PARAPHRASE = 'who was the author of the declaration of independence'

describe('asteria query', () => {
  const cli = useCliSandbox()

  it('serves a paraphrase from the cache by meaning, with the full decision record', async () => {
    // Given a question answered once (printed for a human)
    const first = await cli.run(['query', AUTHOR])
    expect(first.exitCode).toBe(0)
    expect(first.stdout).toContain('MISS')
    expect(first.stdout).toContain('why:')

    // When a paraphrase is asked, once with --json and once for a human
    const run = await cli.run(['query', AUTHOR_PARAPHRASE, '--json'])
    const human = await cli.run(['query', AUTHOR_PARAPHRASE])

    // Then it is a semantic hit on the stored question, and the record says why
    expect(run.exitCode).toBe(0)
    const out = JSON.parse(run.stdout) as QueryJson
    expect(out).toMatchObject({ query: AUTHOR_PARAPHRASE, hit: true, source: 'cache', costUsd: 0 })
    const { decision } = out
    expect(decision.kind).toBe('semantic')
    expect(decision.similarity).toBeGreaterThanOrEqual(decision.thresholds.tauSim)
    expect(decision.thresholds).toEqual({ tauSim: expect.any(Number), tauJudge: expect.any(Number) })
    expect(decision.timings).toMatchObject({ embedMs: expect.any(Number), searchMs: expect.any(Number), totalMs: expect.any(Number) })
    expect(decision.guard).toMatchObject({ pass: true, reasons: [] })
    expect(decision.guard?.alignment).toContainEqual({ query: 'author', candidate: 'wrote', kind: 'derivation' })
    expect(decision.candidates[0]).toMatchObject({ query: AUTHOR, outcome: 'hit', similarity: decision.similarity })
    expect(out.element?.query).toBe(AUTHOR)
    expect(human.exitCode).toBe(0)
    expect(human.stdout).toContain('HIT (semantic)')
    expect(human.stdout).toContain(`nearest: #${decision.elementId} "${AUTHOR}"`)
    expect(human.stdout).toContain('why:')
  })

  it('rejects a near-duplicate about another year with a date reason', async () => {
    // Given the population of France in 2020 is cached
    await cli.json(['query', 'population of France in 2020'])

    // When the 2021 figure is asked
    const run = await cli.run(['query', 'population of France in 2021', '--json'])

    // Then it is a miss: the guard rejected the 2020 element because the dates differ
    expect(run.exitCode).toBe(0)
    const out = JSON.parse(run.stdout) as QueryJson
    expect(out).toMatchObject({ hit: false, source: 'remote' })
    expect(out.decision.kind).toBe('miss')
    const [nearest] = out.decision.candidates
    expect(nearest).toMatchObject({ query: 'population of France in 2020', outcome: 'guard-rejected' })
    expect(nearest.guard?.pass).toBe(false)
    expect(nearest.guard?.reasons).toContainEqual({ kind: 'date', detail: expect.stringMatching(/2021.*2020|2020.*2021/) })
  })

  it('serves the same question asked twice as an exact hit', async () => {
    // Given a question answered once
    const first = await cli.json<QueryJson>(['query', 'what language did the normans speak'])

    // When it is asked again with other case and punctuation
    const run = await cli.run(['query', 'What language did the Normans speak?', '--json'])

    // Then the stored element answers it exactly, at no cost
    expect(run.exitCode).toBe(0)
    const out = JSON.parse(run.stdout) as QueryJson
    expect(out).toMatchObject({ hit: true, source: 'cache', costUsd: 0, latencyMs: 0 })
    expect(out.decision).toMatchObject({ kind: 'exact', similarity: 1, elementId: first.element?.id })
    expect(out.result).toEqual(first.result)
  })

  it('reads one question per line from stdin and writes one JSON object per line with --jsonl', async () => {
    // Given three questions on stdin, a blank line among them
    const input = 'what is dna\n\nWhat is DNA?\nwhere is the eiffel tower\n'

    // When they are piped to `query -`
    const run = await cli.run(['query', '-', '--jsonl'], { input })

    // Then each non-blank line gets one JSON object, in order
    expect(run.exitCode).toBe(0)
    const lines = run.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(3)
    const answers = lines.map((line) => JSON.parse(line) as QueryJson)
    expect(answers.map((a) => a.query)).toEqual(['what is dna', 'What is DNA?', 'where is the eiffel tower'])
    expect(answers.map((a) => a.decision.kind)).toEqual(['miss', 'exact', 'miss'])
  })

  it('bypasses the cache with --no-cache: asks the source and stores nothing', async () => {
    // Given an empty cache
    // When a question is asked with --no-cache
    const run = await cli.run(['query', 'what is dna', '--no-cache', '--json'])

    // Then the source answered and nothing was stored
    expect(run.exitCode).toBe(0)
    const out = JSON.parse(run.stdout) as QueryJson
    expect(out).toMatchObject({ source: 'remote', hit: false, element: null })
    expect(out.decision.kind).toBe('bypass')
    const listed = await cli.json<{ elements: ElementJson[] }>(['cache', 'inspect'])
    expect(listed.elements).toEqual([])
  })

  it('replaces the stored element with --refresh', async () => {
    // Given a cached question
    const first = await cli.json<QueryJson>(['query', 'what is dna'])

    // When it is asked again with --refresh
    const run = await cli.run(['query', 'what is dna', '--refresh', '--json'])

    // Then the source is asked again and its answer replaces the old element
    expect(run.exitCode).toBe(0)
    const out = JSON.parse(run.stdout) as QueryJson
    expect(out).toMatchObject({ source: 'remote', hit: false })
    expect(out.decision.reason).toContain('refresh')
    expect(out.element?.createdAt).toBeGreaterThan(first.element!.createdAt)
    const listed = await cli.json<{ elements: ElementJson[] }>(['cache', 'inspect'])
    expect(listed.elements.map((e) => e.createdAt)).toEqual([out.element?.createdAt])
  })

  it('serves only elements younger than --max-age', async () => {
    // Given a cached question (stored by an earlier process, so more than 1 ms ago)
    await cli.json(['query', 'what is dna'])

    // When it is asked again with a 1 ms and with a 1 hour maximum age
    const tooOld = await cli.run(['query', 'what is dna', '--max-age', '1ms', '--json'])
    const young = await cli.run(['query', 'what is dna', '--max-age', '1h', '--json'])

    // Then the 1 ms bound refuses the element and the 1 hour bound serves it
    expect(tooOld.exitCode).toBe(0)
    const refused = JSON.parse(tooOld.stdout) as QueryJson
    expect(refused).toMatchObject({ hit: false, source: 'remote' })
    expect(refused.decision.candidates[0]).toMatchObject({ query: 'what is dna', outcome: 'older-than-max-age' })
    expect(young.exitCode).toBe(0)
    expect(JSON.parse(young.stdout)).toMatchObject({ hit: true, source: 'cache' })
  })

  it('exits 2 with a message for an empty or whitespace-only query', async () => {
    // Given no question text
    // When the query is empty, or only whitespace (under --json)
    const [empty, blank] = await Promise.all([cli.run(['query', '']), cli.run(['query', ' \t  ', '--json'])])

    // Then both are refused as bad input
    expect(empty.exitCode).toBe(2)
    expect(errorText(empty.stderr)).toContain('Expected a non-empty query')
    expect(blank.exitCode).toBe(2)
    expect(JSON.parse(blank.stdout)).toMatchObject({ error: { code: 'BAD_INPUT', exitCode: 2, message: expect.stringContaining('non-empty query') } })
  })

  it('exits 2 naming the byte limit for a 100 KB query', async () => {
    // Given a 100 KB question
    const huge = 'why'.repeat(34_134)

    // When it is asked
    const run = await cli.run(['query', huge])

    // Then it is refused, and the message names the limit and the size received
    expect(run.exitCode).toBe(2)
    expect(run.stdout).toBe('')
    expect(errorText(run.stderr)).toContain(`at most ${MAX_QUERY_BYTES} bytes, received ${Buffer.byteLength(huge)} bytes`)
  })

  it('rejects an unknown flag with a clear message, and a short JSON error under --json', async () => {
    // Given a flag query does not have
    // When it is used, for a human and under --json
    const [human, json] = await Promise.all([
      cli.run(['query', 'what is dna', '--bogus']),
      cli.run(['query', 'what is dna', '--bogus', '--json']),
    ])

    // Then both exit 2 and name the flag; the JSON error is a few lines, not the help text
    expect(human.exitCode).toBe(2)
    expect(errorText(human.stderr)).toContain('Nonexistent flag: --bogus')
    expect(json.exitCode).toBe(2)
    expect(json.stdout.split('\n').length).toBeLessThan(15)
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { exitCode: 2, message: expect.stringContaining('Nonexistent flag: --bogus') } })
  })

  it('lets several processes create a new cache file at the same moment', async () => {
    // Given no cache file yet
    // When four processes ask at once
    const runs = await Promise.all([1, 2, 3, 4].map((i) => cli.run(['query', `what is dna ${i}`, '--json'])))
    // Then every one succeeds (migrations run in one IMMEDIATE transaction)
    expect(runs.map((r) => r.exitCode)).toEqual([0, 0, 0, 0])
    const stats = await cli.json(['cache', 'stats'])
    expect((stats as { summary: { elements: number } }).summary.elements).toBe(4)
  })
})
