import { spawnSync, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorText, useCliSandbox } from '../helpers/run-cli.js'
import { startTestPostgres, type TestPostgres } from '../helpers/pglite-server.js'

const QUESTIONS = [
  'population of canada', 'boiling point of ethanol', 'author of war and peace', 'height of mount everest', 'speed of sound in water',
  'founder of the roman empire', 'capital city of australia', 'atomic number of gold', 'length of the nile river', 'inventor of the telephone',
  'largest moon of saturn', 'melting point of iron', 'composer of the four seasons', 'depth of the mariana trench', 'currency of switzerland',
  'painter of the night watch', 'distance from earth to mars', 'official language of brazil', 'chemical formula of table salt', 'tallest building in dubai',
  'year the berlin wall fell', 'symptoms of vitamin d deficiency', 'how to sort a list in python', 'rules of chess castling', 'origin of the olympic games',
  'half life of carbon 14', 'area of the pacific ocean', 'first person on the moon', 'main ingredients of hummus', 'number of bones in the human body',
  'author of pride and prejudice', 'wingspan of an albatross', 'discoverer of penicillin', 'oldest university in europe', 'population of tokyo',
  'gestation period of elephants', 'architect of the sagrada familia', 'how a bill becomes law', 'director of the movie alien', 'ingredients of a margherita pizza',
]

// Three rounds over 40 sessions: session k asks question k, then k+13, then k+26 (mod 40). Sessions
// alternate between the two machines, so every question is asked on both: isolated caches each pay
// for it once, a shared tier once in all.
function writeTrace(path: string): void {
  const lines: string[] = []
  for (let round = 0; round < 3; round++) {
    for (let session = 0; session < QUESTIONS.length; session++) {
      const intent = (session + 13 * round) % QUESTIONS.length
      lines.push(JSON.stringify({ session: `s${session}`, tool: 'search', query: QUESTIONS[intent], intent: `c${intent}` }))
    }
  }
  writeFileSync(path, lines.join('\n') + '\n')
}

let server: TestPostgres
const cli = useCliSandbox()

beforeAll(async () => {
  server = await startTestPostgres()
})
afterAll(async () => {
  await server?.close()
})

async function benchSchemas(): Promise<string[]> {
  const client = new pg.Client({ connectionString: server.url })
  await client.connect()
  try {
    const { rows } = await client.query<{ schema_name: string }>("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'asteria_bench_%'")
    return rows.map((r) => r.schema_name)
  } finally {
    await client.end()
  }
}

/** The processes `pid` started (ps exits 1 when there are none). */
function childProcesses(pid: number): number[] {
  const { stdout } = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
  return stdout.split('\n').filter((line) => line.trim() !== '').map(Number)
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('asteria bench --machines', () => {
  it('compares isolated local caches with one shared tier, in a schema of its own that it drops', async () => {
    // Given a trace whose every question is asked by sessions on both machines, and a PostgreSQL
    const trace = join(cli.dir, 'trace.jsonl')
    writeTrace(trace)

    // When the bench replays it over 2 machines
    const result = await cli.json(['bench', '--store', server.url, '--machines', '2', '--trace', trace, '--limit', '120'], { timeoutMs: 60_000 })

    // Then both variants replayed every request, sharing hit more, and latency figures are there
    const [isolated, shared] = result.variants
    expect(result.machines).toBe(2)
    expect(result.requestsPerMachine).toEqual([60, 60])
    expect([isolated.name, shared.name]).toEqual(['isolated', 'shared'])
    expect(isolated.requests).toBe(120)
    expect(shared.requests).toBe(120)
    expect(shared.hitRate).toBeGreaterThan(isolated.hitRate)
    expect(result.sharing.remoteCallsSaved).toBeGreaterThan(0)
    for (const variant of [isolated, shared]) {
      expect(variant.rightIntentHitRate).toBeTypeOf('number')
      expect(variant.latencyMs.all.p50).toBeTypeOf('number')
      expect(variant.latencyMs.all.p95).toBeGreaterThanOrEqual(variant.latencyMs.all.p50)
    }
    expect(result.sharing.addedLatencyMs).toEqual({ p50: expect.any(Number), p95: expect.any(Number) })
    // And the shared tier's own calls were timed: look-ups, and one write per remote answer stored
    const { lookups, writes } = result.sharedTierCalls
    expect(lookups.calls).toBeGreaterThan(0)
    expect(writes.calls).toBe(shared.remoteCalls)
    for (const calls of [lookups, writes]) expect(calls.p95).toBeGreaterThanOrEqual(calls.p50)
    // And its schema is gone, the password never printed
    expect(result.sharedTier.schema).toMatch(/^asteria_bench_\d+_[a-z0-9]+$/)
    expect(await benchSchemas()).not.toContain(result.sharedTier.schema)
    expect(result.sharedTier.location).not.toContain('pglite-test-secret')
  }, 60_000)

  it('stops on Ctrl+C: its machine processes end, its schema is dropped, and it exits 130', async () => {
    // Given a bench whose simulated remote is slow enough to be stopped mid-run
    const trace = join(cli.dir, 'trace.jsonl')
    writeTrace(trace)
    const before = await benchSchemas()
    let bench: ChildProcess | undefined
    const running = cli.run(['bench', '--store', server.url, '--machines', '2', '--trace', trace, '--latency', '400'], {
      timeoutMs: 60_000,
      onSpawn: (child) => (bench = child),
    })

    // When Ctrl+C reaches it once its bench schema exists and its two machine processes run
    let machines: number[] = []
    while ((await benchSchemas()).length === before.length || (machines = childProcesses(bench!.pid!)).length < 2) {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    bench!.kill('SIGINT')
    const run = await running

    // Then it says what it cleaned up, exits 130, and leaves no schema and no machine process behind
    expect(errorText(run.stderr)).toMatch(/Interrupted: stopped the 2 bench machines and dropped the bench schema asteria_bench_\w+; nothing else was touched/)
    expect(run.exitCode).toBe(130)
    expect(await benchSchemas()).toEqual(before)
    expect(machines.filter(isRunning)).toEqual([])
  }, 60_000)

  it('refuses --machines without a shared store, saying what to pass', async () => {
    // Given no --store, no ASTERIA_STORE_URL and no config
    // When the machines bench is asked for
    const run = await cli.run(['bench', '--machines', '2', '--limit', '10'])

    // Then it exits 2 and names the flag to pass
    expect(run.exitCode).toBe(2)
    expect(errorText(run.stderr)).toMatch(/Expected a shared store with --machines 2/)
    expect(errorText(run.stderr)).toMatch(/--store postgres:\/\//)
  })
})
