import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BenchResult } from '../../src/bench/bench-result.js'
import { errorText, useCliSandbox } from '../helpers/run-cli.js'

/** The key structure of a JSON value: what a script reading --json relies on. */
function keyShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [keyShape(value[0])]
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, keyShape((value as Record<string, unknown>)[key])]))
  }
  return '*'
}

const RUN = { timeoutMs: 60_000 }

describe('asteria bench', () => {
  const cli = useCliSandbox()

  it('--quick --json replays the search workload through five variants in a stable shape', async () => {
    // Given the built-in search workload, cut short, and a shared tier configured (unreachable: it must never be touched)
    const env = { ASTERIA_STORE_URL: 'postgres://u:secret@127.0.0.1:1/db' }
    // When benchmarked with --json
    const run = await cli.run(['bench', '--quick', '--limit', '60', '--latency', '300-500', '--json'], { ...RUN, env })
    // Then stdout is the result and nothing else; stderr has no progress bar (not a terminal) and no shared-tier warning
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stderr).toBe('')
    const result = JSON.parse(run.stdout) as BenchResult
    expect(result.variants.map((v) => v.name)).toEqual(['none', 'exact', 'threshold', 'asteria', 'oracle'])
    expect(result.trace).toMatchObject({ name: 'search', requests: 60, sessions: 60 })
    expect(result.settings).toMatchObject({ quick: true, mode: 'closed-loop', clock: 'simulated', throughput: 'modelled', workers: 8, remoteLatencyMs: [300, 500], judge: 'guard' })
    expect(result.headline?.summary.length).toBe(3)
    expect(result.variants[0].metrics.remoteCalls).toBe(60)
    expect(keyShape(result)).toMatchSnapshot()
  })

  it('--trace accepts any trace in the public format, even without gold labels', async () => {
    // Given a trace of someone's agent with no intents or answers
    const trace = join(cli.dir, 'agent.jsonl')
    const lines = ['what is dna', 'What is DNA?', 'who wrote hamlet', 'author of hamlet', 'what is dna'].map((query, i) => JSON.stringify({ session: `s${i % 2}`, tool: 'search', query }))
    writeFileSync(trace, lines.join('\n') + '\n')
    // When benchmarked
    const result = await cli.json<BenchResult>(['bench', '--trace', trace, '--quick'], RUN)
    // Then it runs, says what cannot be measured, and still counts hits
    expect(result.trace).toMatchObject({ name: 'agent.jsonl', requests: 5, labelledRequests: 0 })
    expect(result.headline).toBeNull()
    expect(result.notes.join(' ')).toContain('The trace has no intents')
    expect(result.variants.find((v) => v.name === 'exact')!.metrics.hits).toBeGreaterThan(0)
    expect(result.variants.every((v) => v.metrics.falseHitRate === null)).toBe(true)
  })

  it('rejects a malformed trace line by its number, and runs nothing', async () => {
    // Given a trace whose second line has no session
    const trace = join(cli.dir, 'broken.jsonl')
    writeFileSync(trace, '{"session": "s", "query": "fine"}\n{"query": "no session"}\n')
    // When benchmarked, with and without --json
    const run = await cli.run(['bench', '--trace', trace])
    const json = await cli.json<{ error: { code: string; message: string } }>(['bench', '--trace', trace], { exitCode: 2 })
    // Then it exits 2 naming the file and line
    expect(run.exitCode).toBe(2)
    expect(errorText(run.stderr)).toContain('broken.jsonl line 2: expected "session" to be a non-empty string, received nothing. Nothing was run.')
    expect(json.error).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('line 2') })
  })

  it('prints a table and writes an HTML report for the coding workload', async () => {
    // Given the coding workload
    const report = join(cli.dir, 'bench.html')
    // When benchmarked with --report
    const run = await cli.run(['bench', '--workload', 'coding', '--quick', '--limit', '40', '--report', report], RUN)
    // Then the table lists every variant and the report holds five charts
    expect(run.exitCode, run.stderr).toBe(0)
    for (const name of ['none', 'exact', 'threshold', 'asteria', 'oracle']) expect(run.stdout).toMatch(new RegExp(`^${name}\\s`, 'm'))
    expect(run.stdout).toContain(`Report: ${report}`)
    expect(existsSync(report)).toBe(true)
    expect(readFileSync(report, 'utf8').match(/<figure id=/g)).toHaveLength(5)
  })

  it('says --open-loop needs t_ms, naming the line', async () => {
    const trace = join(cli.dir, 'untimed.jsonl')
    writeFileSync(trace, '{"session": "s", "query": "one", "t_ms": 0}\n{"session": "s", "query": "two"}\n')
    const json = await cli.json<{ error: { message: string } }>(['bench', '--trace', trace, '--open-loop'], { exitCode: 2 })
    expect(json.error.message).toContain('line 2 has none')
  })

  it('has examples in its help', async () => {
    const run = await cli.run(['bench', '--help'])
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/^EXAMPLES\n\s+\$ asteria bench --quick/m)
  })
})
