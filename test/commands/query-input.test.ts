import { describe, expect, it } from 'vitest'
import type { CacheStats } from '../../src/core/admin/stats.js'
import type { fetchJson } from '../../src/report/fetch-json.js'
import { errorText, useCliSandbox } from '../helpers/run-cli.js'

type QueryJson = ReturnType<typeof fetchJson>
type RefusedLine = { line: number; error: { code: string; message: string; exitCode: number } }

// A 10,000-byte line: over the 8 KB query limit, like `python3 -c "print('x '*5000)"`.
const OVERSIZED = 'x '.repeat(5000)

describe('asteria query (input checks)', () => {
  const cli = useCliSandbox()

  it('answers every good line of stdin, reports a bad one with its line number, and exits 2 at the end', async () => {
    // Given three lines on stdin, the second far over the query limit
    const input = `who wrote hamlet\n${OVERSIZED}\nwhat is dna\n`

    // When they are piped to `query - --jsonl`
    const run = await cli.run(['query', '-', '--jsonl'], { input })

    // Then the first and third lines are answered, and the second is reported in the stream, in order
    const lines = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Partial<QueryJson> & Partial<RefusedLine>)
    expect(lines.map((l) => l.line)).toEqual([1, 2, 3])
    expect(lines[0]).toMatchObject({ query: 'who wrote hamlet', source: 'remote' })
    expect(lines[1]).toEqual({
      line: 2,
      error: { code: 'BAD_INPUT', exitCode: 2, message: 'Expected a query of at most 8192 bytes, received 10000 bytes.', suggestions: ['Send the question itself, not the document it is about.'] },
    })
    expect(lines[2]).toMatchObject({ query: 'what is dna', source: 'remote' })
    // And stderr names the line too, with a closing count; the exit code says not every line was answered
    expect(run.stderr).toContain('Line 2: Expected a query of at most 8192 bytes, received 10000 bytes.')
    expect(run.stderr).toContain('Answered 2 lines; refused 1 (line 2).')
    expect(run.exitCode).toBe(2)
  })

  it('gives the same account for a human and under --json', async () => {
    const input = `who wrote hamlet\n???\n`
    const [human, json] = [await cli.run(['query', '-'], { input }), await cli.run(['query', '-', '--json'], { input })]
    expect(human.exitCode).toBe(2)
    expect(human.stdout).toContain('> who wrote hamlet')
    expect(human.stderr).toContain('Line 2: Expected a question with at least one word (letters or digits), received "???".')
    expect(json.exitCode).toBe(2)
    const out = JSON.parse(json.stdout) as { answers: QueryJson[]; refused: RefusedLine[] }
    expect(out.answers.map((a) => [a.query, a.hit])).toEqual([['who wrote hamlet', true]])
    expect(out.refused).toEqual([{ line: 2, error: expect.objectContaining({ code: 'BAD_INPUT', exitCode: 2 }) }])
  })

  it('refuses an unknown --tool, listing the tools, and a question without a word, before paying for any call', async () => {
    // When a question names a tool no source answers, and another is punctuation only
    const [tool, wordless] = await Promise.all([cli.run(['query', 'x', '--tool', 'nosuchtool']), cli.run(['query', '???', '--json'])])

    // Then both are bad input (exit 2) that say what was expected
    expect(tool.exitCode).toBe(2)
    expect(errorText(tool.stderr)).toContain('Expected --tool=nosuchtool to be one of: search, search_docs, search_code')
    expect(wordless.exitCode).toBe(2)
    expect(JSON.parse(wordless.stdout)).toMatchObject({
      error: { code: 'BAD_INPUT', message: 'Expected a question with at least one word (letters or digits), received "???".' },
    })
    // And no remote call was made
    expect((await cli.json<CacheStats>(['cache', 'stats'])).remoteCalls).toBe(0)
  })

  it('writes one JSON line for a single question with --jsonl', async () => {
    const run = await cli.run(['query', 'what is dna', '--jsonl'])
    expect(run.exitCode).toBe(0)
    const lines = run.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0])).toMatchObject({ query: 'what is dna', source: 'remote', hit: false })
  })
})
