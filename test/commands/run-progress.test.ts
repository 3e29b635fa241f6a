import { describe, expect, it } from 'vitest'
import type { sessionJson } from '../../src/report/session-json.js'
import { useCliSandbox } from '../helpers/run-cli.js'
import { cachedThenSlowTasks, onOutput, SLOW_SOURCE_MS } from '../helpers/slow-tasks.js'
import { hasTerminal, runOnTerminal } from '../helpers/terminal.js'

type SessionJson = ReturnType<typeof sessionJson>

describe('asteria run (progress)', () => {
  const cli = useCliSandbox()

  it('prints each task\'s line on stdout as it finishes, while later tasks still run; no spinner when stderr is not a terminal', async () => {
    // Given a first task answered from the cache at once, and a second waiting on a 10-minute source
    const file = await cachedThenSlowTasks(cli)

    // When the run's first task line appears on stdout (then Ctrl+C ends the wait)
    let runningWhenPrinted: boolean | undefined
    const run = await cli.run(['run', '--tasks', file], {
      env: { ASTERIA_LATENCY_MS: SLOW_SOURCE_MS },
      onSpawn: (child) =>
        onOutput(child, 'stdout', /1\/2 t1 .*\n/, () => {
          runningWhenPrinted = child.exitCode === null
          child.kill('SIGINT')
        }),
    })

    // Then the line came while the second task was still running, and stderr had no spinner
    expect(runningWhenPrinted).toBe(true)
    expect(run.stdout).toMatch(/^· 1\/2 t1 {2}exact hit {2}[\d.]+ ms {2}Top passage: /)
    expect(run.stderr).toBe('Interrupted: 1 of 2 tasks finished; session 1 is stored as interrupted.\n')
    expect(run.exitCode).toBe(130)
  })

  it('is silent under --json: one JSON document on stdout, nothing on stderr', async () => {
    const file = await cachedThenSlowTasks(cli)
    const run = await cli.run(['run', '--tasks', file, '--json'])
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect((JSON.parse(run.stdout) as SessionJson).tasks.map((t) => t.id)).toEqual(['t1', 't2'])
  })

  it.skipIf(!hasTerminal)('shows a spinner counting tasks and hits on a terminal, with each task line above it; Ctrl+C there stops the run', async () => {
    // Given the same two tasks, run on a 100-column terminal
    const file = await cachedThenSlowTasks(cli)

    // When the spinner counts the first task, and Ctrl+C is typed on the terminal
    const run = await runOnTerminal(cli, ['run', '--tasks', file], 100, {
      env: { ASTERIA_LATENCY_MS: SLOW_SOURCE_MS },
      holdStdin: true,
      onSpawn: (child) => onOutput(child, 'stdout', /task 1\/2, 1 hit/, () => child.stdin!.end('\x03')),
    })

    // Then the terminal showed the task line and the spinner's count, and the run stopped as interrupted
    expect(run.stdout).toMatch(/· 1\/2 t1 {2}exact hit/)
    expect(run.stdout).toContain('task 1/2, 1 hit')
    expect(run.stdout).toContain('tasks           1 (interrupted)')
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(130)
  })

  it.skipIf(!hasTerminal)('draws no spinner on a terminal that reports 0 columns, where ora 9.4.1 would spin forever', async () => {
    // Given two tasks answered without delay, on a terminal reporting 0 columns
    const file = await cachedThenSlowTasks(cli)

    // When the run goes through
    const run = await runOnTerminal(cli, ['run', '--tasks', file], 0)

    // Then it finishes, with the task lines and report but no spinner (no hidden cursor, no count)
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/· 2\/2 t2 {2}miss/)
    expect(run.stdout).not.toContain('task 1/2')
    expect(run.stdout).not.toContain('\u001b[?25l')
  })
})
