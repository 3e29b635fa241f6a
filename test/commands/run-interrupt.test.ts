import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { sessionJson, sessionListJson } from '../../src/report/session-json.js'
import { useCliSandbox } from '../helpers/run-cli.js'
import { cachedThenSlowTasks, onOutput, SLOW_SOURCE_MS } from '../helpers/slow-tasks.js'
import { usePostgres } from '../helpers/use-postgres.js'

type SessionJson = ReturnType<typeof sessionJson>
type SessionListJson = ReturnType<typeof sessionListJson>

const SLOW = { ASTERIA_LATENCY_MS: SLOW_SOURCE_MS }
const INTERRUPTED = 'Interrupted: 1 of 2 tasks finished; session 1 is stored as interrupted.\n'

/** Calls `then` once the child's session has stored a finished task in `path` (checked every 50 ms while it runs). */
function onTaskStored(child: ChildProcess, path: string, then: () => void): void {
  child.once('exit', () => clearInterval(timer))
  const timer = setInterval(() => {
    const db = new Database(path, { readonly: true })
    const { n } = db.prepare('SELECT count(*) AS n FROM session_tasks').get() as { n: number }
    db.close()
    if (n === 0) return
    clearInterval(timer)
    then()
  }, 50)
}

describe('asteria run, stopped with Ctrl+C', () => {
  const cli = useCliSandbox()
  const postgres = usePostgres()

  it('prints the report of the tasks done, stores the session as interrupted, and exits 130', async () => {
    // Given a first task answered from the cache at once, and a second waiting on a 10-minute source
    const file = await cachedThenSlowTasks(cli)

    // When SIGINT reaches the process once the first task is done
    const run = await cli.run(['run', '--tasks', file], { env: SLOW, onSpawn: (child) => onOutput(child, 'stdout', /1\/2 t1 .*\n/, () => child.kill('SIGINT')) })

    // Then the report covers the finished task, says the run was interrupted, and the exit code is 130
    expect(run.exitCode).toBe(130)
    expect(run.stderr).toBe(INTERRUPTED)
    expect(run.stdout).toContain('Session 1 · ')
    expect(run.stdout).toMatch(/ {2}tasks {11}1 \(interrupted\)\n/)
    expect(run.stdout).toMatch(/ {2}look-ups {8}1: 1 hits \(1 exact, 0 semantic\), 0 misses/)
    // And the stored session says interrupted, with the finished task; the list says so too
    const shown = await cli.json<SessionJson>(['sessions', '1'])
    expect(shown.session).toMatchObject({ status: 'interrupted', summary: { tasks: 1, requests: 1 } })
    expect(shown.session.finishedAt).toEqual(expect.any(Number))
    expect(shown.tasks.map((t) => t.id)).toEqual(['t1'])
    expect((await cli.run(['sessions'])).stdout).toMatch(/ {3}1 .* interrupted\n?$/)
  })

  it('under --json prints the partial session as JSON and exits 130', async () => {
    // Given the same tasks
    const file = await cachedThenSlowTasks(cli)

    // When SIGINT reaches the --json run once its first task is stored
    const run = await cli.run(['run', '--tasks', file, '--json'], { env: SLOW, onSpawn: (child) => onTaskStored(child, cli.db, () => child.kill('SIGINT')) })

    // Then stdout is the interrupted session with its finished task, and the exit code is 130
    expect(run.exitCode).toBe(130)
    expect(run.stderr).toBe(INTERRUPTED)
    const out = JSON.parse(run.stdout) as SessionJson
    expect(out.session).toMatchObject({ id: 1, status: 'interrupted', summary: { tasks: 1 } })
    expect(out.tasks.map((t) => t.id)).toEqual(['t1'])
  })

  it('stores the session as interrupted in a shared PostgreSQL tier, where another machine sees it', async () => {
    // Given a shared tier, and the same tasks run through it
    const url = postgres.freshUrl()
    const file = await cachedThenSlowTasks(cli, ['--store', url])

    // When SIGINT reaches the run once its first task is done
    const run = await cli.run(['run', '--tasks', file, '--store', url], {
      env: SLOW,
      timeoutMs: 60_000,
      onSpawn: (child) => onOutput(child, 'stdout', /1\/2 t1 .*\n/, () => child.kill('SIGINT')),
    })

    // Then it exits 130, and another machine (its own cache file) lists the session as interrupted
    expect(run.exitCode).toBe(130)
    expect(run.stderr).toBe(INTERRUPTED)
    const elsewhere = ['--store', url, '--db', join(cli.dir, 'other-machine.sqlite')]
    const { sessions } = await cli.json<SessionListJson>(['sessions', ...elsewhere])
    expect(sessions).toEqual([expect.objectContaining({ id: 1, status: 'interrupted', summary: expect.objectContaining({ tasks: 1 }) })])
  })
})
