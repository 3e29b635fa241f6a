import { spawnSync } from 'node:child_process'
import { chmodSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import type { CacheStats } from '../../src/core/admin/stats.js'
import type { DoctorReport } from '../../src/doctor/run-doctor.js'
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js'
import { packageRoot } from '../../src/core/util/package-paths.js'
import { errorText, useCliSandbox, type RunCliOptions } from '../helpers/run-cli.js'

// Root may write any file, so under root the commands run as `nobody`, another user, as in the
// report; any other user cannot write a file and folder made read-only, even its own.
const OTHER_USER: RunCliOptions = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}
// A checkout in a folder only its owner may enter (`mktemp -d` makes one) cannot be run by `nobody`.
const otherUserCanRun =
  OTHER_USER.uid === undefined ||
  spawnSync(process.execPath, ['-e', 'require("fs").accessSync(process.argv[1])', join(packageRoot(), 'bin', 'run.js')], { uid: OTHER_USER.uid, gid: OTHER_USER.gid }).status === 0

describe.skipIf(!otherUserCanRun)('a cache file this user may not write (skipped when user nobody cannot read this checkout)', () => {
  const cli = useCliSandbox()
  afterEach(() => chmodSync(cli.dir, 0o755))

  /** Seeds a cache with one element and one session, then makes the file 0444 and its folder 0555. */
  async function readOnlyCache(): Promise<void> {
    await cli.json(['query', 'what is dna'])
    await cli.json(['run', 'what is dna'])
    chmodSync(cli.db, 0o444)
    chmodSync(cli.dir, 0o555)
  }
  // The other user has a home and data folder of their own (here: ones that do not exist).
  const asOther = (args: string[]) => cli.run(args, { ...OTHER_USER, env: { HOME: join(cli.dir, 'home'), XDG_DATA_HOME: join(cli.dir, 'data') } })

  it('works for the read-only commands: stats, inspect, export, sessions and doctor', async () => {
    // Given a cache with one element and one session, read-only for the user asking
    await readOnlyCache()

    // When each read-only command runs on it
    const stats = await asOther(['cache', 'stats', '--json'])
    const inspect = await asOther(['cache', 'inspect', '1'])
    const exported = await asOther(['cache', 'export'])
    const sessions = await asOther(['sessions', '1', '--json'])
    const doctor = await asOther(['doctor', '--json'])

    // Then each answers from the file (exit 0), nothing on stderr, and the doctor says it is read-only
    for (const run of [stats, inspect, exported, sessions, doctor]) expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' })
    expect(JSON.parse(stats.stdout) as CacheStats).toMatchObject({ location: cli.db, summary: { elements: 1 }, requests: 2 })
    expect(inspect.stdout).toContain('query       what is dna')
    expect(JSON.parse(exported.stdout.trimEnd())).toMatchObject({ query: 'what is dna' })
    expect(JSON.parse(sessions.stdout)).toMatchObject({ session: { id: 1, status: 'finished' }, lookups: [{ query: 'what is dna', outcome: 'exact' }] })
    const store = (JSON.parse(doctor.stdout) as DoctorReport).checks.find((c) => c.part === 'store')
    expect(store).toMatchObject({ status: 'warn', detail: expect.stringContaining('read-only for this user: look-ups cannot store answers') })
  })

  it('makes a writing command say the file is read-only (exit 5), and what still works', async () => {
    // Given the same read-only cache
    await readOnlyCache()

    // When a look-up (which stores a miss) and a clear are asked for
    const [query, clear] = [await asOther(['query', 'who wrote hamlet']), await asOther(['cache', 'clear', '--yes', '--json'])]

    // Then both exit 5 naming the file as read-only, and list the commands that work on it
    const message = `The cache file ${cli.db} is read-only for this user (the file, or its folder, where SQLite keeps its write-ahead log, is not writable); this command writes to it.`
    expect(query.exitCode).toBe(5)
    expect(query.stdout).toBe('')
    expect(errorText(query.stderr)).toContain(message)
    expect(errorText(query.stderr)).toContain('Read-only commands work on it as it is: asteria cache stats, cache inspect, cache export, sessions and doctor.')
    expect(clear.exitCode).toBe(5)
    expect(JSON.parse(clear.stdout)).toMatchObject({ error: { code: 'STORE', exitCode: 5, message } })
  })

  it('says so when the file has an older schema that a read-only open cannot upgrade', async () => {
    // Given a read-only cache file whose schema is one migration behind this Asteria's
    await cli.json(['query', 'what is dna'])
    const db = new Database(cli.db)
    db.pragma(`user_version = ${MIGRATIONS.length - 1}`)
    db.close()
    chmodSync(cli.db, 0o444)
    chmodSync(cli.dir, 0o555)

    // When its stats are asked for
    const run = await asOther(['cache', 'stats'])

    // Then the error says the schema is older and the file cannot be upgraded by this user
    expect(run.exitCode).toBe(5)
    expect(errorText(run.stderr)).toContain(
      `The cache file ${cli.db} has schema ${MIGRATIONS.length - 1}, older than this Asteria's ${MIGRATIONS.length}, and is read-only for this user, so it cannot be upgraded.`,
    )
  })
})
