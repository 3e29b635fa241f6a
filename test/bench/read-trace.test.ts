import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { parseTrace, readTraceFile } from '../../src/bench/read-trace.js'
import { BUILT_IN_WORKLOADS, loadTrace, loadWorkload } from '../../src/bench/workloads.js'
import { AsteriaError } from '../../src/core/errors.js'
import { useTempDirs } from '../helpers/temp-dir.js'

const tempDir = useTempDirs()

function errorOf(run: () => unknown): AsteriaError {
  try {
    run()
  } catch (error) {
    return error as AsteriaError
  }
  throw new Error('expected an error')
}

describe('parseTrace', () => {
  it('reads the public format, with optional fields, blank lines and unknown fields', () => {
    // Given a trace with a full line, a minimal one, a blank line and an extra field
    const text = [
      '{"session": "s1", "tool": "docs", "query": "re.sub", "intent": "api:re.sub", "answers": ["re"], "t_ms": 12}',
      '',
      '{"session": "s2", "query": "who wrote hamlet", "source": "my-agent"}',
    ].join('\n')
    // When parsed
    const trace = parseTrace(text, 'mine.jsonl')
    // Then both requests come back in order, with line numbers and the default tool
    expect(trace.requests).toEqual([
      { index: 0, line: 1, session: 's1', tool: 'docs', query: 're.sub', intent: 'api:re.sub', answers: ['re'], tMs: 12 },
      { index: 1, line: 3, session: 's2', tool: 'search', query: 'who wrote hamlet' },
    ])
  })

  it.each([
    ['not json', 'expected a JSON object, received invalid JSON'],
    ['[1, 2]', 'expected a JSON object, received [1,2]'],
    ['{"query": "q"}', 'expected "session" to be a non-empty string, received nothing'],
    ['{"session": "s", "query": "   "}', '"query": Expected a non-empty query'],
    ['{"session": "s", "query": "q", "answers": "Paris"}', 'expected "answers" to be a list of strings'],
    ['{"session": "s", "query": "q", "t_ms": -5}', 'expected "t_ms" to be a number of milliseconds >= 0, received -5'],
    ['{"session": "s", "query": "q", "intent": 7}', 'expected "intent" to be a non-empty string, received 7'],
  ])('names the line of a malformed line (%s)', (bad, message) => {
    // Given a good first line and a bad third
    const text = ['{"session": "s", "query": "fine"}', '', bad].join('\n')
    // When parsed
    const error = errorOf(() => parseTrace(text, 'trace.jsonl'))
    // Then the error is bad input naming the file, line 3 and what was wrong
    expect(error).toBeInstanceOf(AsteriaError)
    expect(error.exitCode).toBe(2)
    expect(error.message).toContain('trace.jsonl line 3: ')
    expect(error.message).toContain(message)
    expect(error.message).toContain('Nothing was run.')
  })

  it('rejects a trace without requests', () => {
    expect(errorOf(() => parseTrace('\n\n', 'empty.jsonl')).message).toContain('Expected at least one request in the trace empty.jsonl')
  })
})

describe('readTraceFile', () => {
  it('reads plain and gzipped files', () => {
    const dir = tempDir()
    const line = '{"session": "s", "query": "what is dna"}\n'
    writeFileSync(join(dir, 'plain.jsonl'), line)
    writeFileSync(join(dir, 'packed.jsonl.gz'), gzipSync(line))
    expect(readTraceFile(join(dir, 'plain.jsonl')).requests[0].query).toBe('what is dna')
    expect(readTraceFile(join(dir, 'packed.jsonl.gz'))).toMatchObject({ name: 'packed.jsonl.gz', requests: [{ query: 'what is dna' }] })
  })

  it('says which file it cannot read', () => {
    expect(errorOf(() => readTraceFile('/nonexistent/trace.jsonl')).message).toMatch(/^Cannot read the trace file \/nonexistent\/trace.jsonl: ENOENT/)
  })
})

describe('loadWorkload', () => {
  it.each(BUILT_IN_WORKLOADS)('ships the %s workload as a labelled trace in the public format', (name) => {
    // Given a built-in workload
    // When it is loaded
    const trace = loadWorkload(name)
    // Then every request has a session, a tool, a query and an intent, and intents repeat
    expect(trace.name).toBe(name)
    expect(trace.requests.length).toBeGreaterThan(1000)
    expect(trace.requests.every((r) => r.intent && r.session && r.tool && r.tMs !== undefined)).toBe(true)
    expect(new Set(trace.requests.map((r) => r.intent)).size).toBeLessThan(trace.requests.length * 0.8)
  })

  it('gives the search workload gold answers for most requests', () => {
    const { requests } = loadWorkload('search')
    expect(requests.filter((r) => r.answers?.length).length / requests.length).toBeGreaterThan(0.6)
  })

  it('rejects an unknown workload and a trace given twice', () => {
    expect(errorOf(() => loadWorkload('../../etc/passwd')).message).toContain('Expected a built-in workload (search, coding, coding-authored), received "../../etc/passwd"')
    expect(errorOf(() => loadTrace({ trace: 'x.jsonl', workload: 'search' })).message).toBe('Expected either --trace or --workload, received both.')
  })
})
