import { describe, expect, it } from 'vitest'
import type { DecisionRecord } from '../../src/core/decision.js'
import { errorText, useCliSandbox } from '../helpers/run-cli.js'

interface DemoJson {
  summary: { questions: number; hits: number; semanticHits: number; exactHits: number; asExpected: number; remoteCalls: number }
  steps: { query: string; expect: 'hit' | 'miss'; hit: boolean; decision: DecisionRecord }[]
}

const COMMANDS = [
  'query', 'run', 'demo', 'doctor', 'bench', 'serve', 'mcp', 'sessions', 'judge eval', 'cache inspect', 'cache stats', 'cache delete',
  'cache clear', 'cache export', 'cache import', 'cache prune', 'cache feedback', 'cache reembed',
]

describe('asteria demo', () => {
  const cli = useCliSandbox()

  it('runs offline with --latency 0 --json and serves at least one paraphrase by meaning', async () => {
    // Given nothing but the built-in parts
    // When the demo runs
    const run = await cli.run(['demo', '--latency', '0', '--json'])

    // Then it exits 0 with a summary and a decision record for every step
    expect(run.exitCode).toBe(0)
    const out = JSON.parse(run.stdout) as DemoJson
    expect(out.summary.semanticHits).toBeGreaterThanOrEqual(1)
    expect(out.summary.exactHits).toBeGreaterThanOrEqual(1)
    expect(out.steps).toHaveLength(out.summary.questions)
    for (const step of out.steps) {
      expect(step.decision).toMatchObject({ kind: expect.stringMatching(/^(exact|semantic|miss)$/), thresholds: { tauSim: expect.any(Number) } })
      expect(step.hit).toBe(step.decision.hit)
    }
    expect(out.summary.hits + out.summary.remoteCalls).toBe(out.summary.questions)
  })
})

describe('asteria --help', () => {
  const cli = useCliSandbox()

  it('shows at least one example for every command', async () => {
    // Given every command
    // When each one's help is asked for
    const runs = await Promise.all(COMMANDS.map((id) => cli.run([...id.split(' '), '--help'])))

    // Then each exits 0 with an EXAMPLES section that runs that command
    runs.forEach((run, i) => {
      expect(run.exitCode, COMMANDS[i]).toBe(0)
      expect(run.stdout, COMMANDS[i]).toMatch(new RegExp(`^EXAMPLES\\n\\s+\\$ asteria ${COMMANDS[i]}\\b`, 'm'))
    })
  })

  it('answers an unknown command as bad input (exit 2) with the command a typo meant, also under --json', async () => {
    const [typo, nested, json, topic, flagFirst] = await Promise.all([
      cli.run(['quary', 'who wrote hamlet']),
      cli.run(['cache', 'inspekt', '3']),
      cli.run(['frobnicate', '--json']),
      cli.run(['cache', 'nonsense']),
      cli.run(['--db', 'x.sqlite', 'query', 'what is dna']),
    ])
    expect(errorText(topic.stderr)).toContain('Unknown command "cache nonsense".')
    expect(errorText(topic.stderr)).toContain('Run `asteria cache --help` for its commands.')
    expect(flagFirst.exitCode).toBe(2)
    expect(errorText(flagFirst.stderr)).toContain('Expected a command first, received the flag "--db".')
    expect(typo.exitCode).toBe(2)
    expect(errorText(typo.stderr)).toContain('Unknown command "quary".')
    expect(errorText(typo.stderr)).toContain('Did you mean `asteria query`?')
    expect(errorText(nested.stderr)).toContain('Did you mean `asteria cache inspect`?')
    expect(json.exitCode).toBe(2)
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'BAD_INPUT', exitCode: 2, message: 'Unknown command "frobnicate".' } })
  })

  it('shows examples on the root page too, each naming a real command', async () => {
    const run = await cli.run(['--help'])
    expect(run.exitCode).toBe(0)
    const examples = run.stdout.split('EXAMPLES\n')[1]?.split('\n\n')[0] ?? ''
    const used = [...examples.matchAll(/\$ asteria (\w+(?: \w+)?)/g)].map((m) => m[1])
    expect(used.length).toBeGreaterThanOrEqual(5)
    for (const command of used) expect(COMMANDS.some((id) => command === id || command.startsWith(`${id} `)), command).toBe(true)
  })
})
