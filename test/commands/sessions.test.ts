import { describe, expect, it } from 'vitest'
import type { sessionJson, sessionListJson } from '../../src/report/session-json.js'
import { useCliSandbox } from '../helpers/run-cli.js'

type SessionJson = ReturnType<typeof sessionJson>
type SessionListJson = ReturnType<typeof sessionListJson>

describe('asteria sessions', () => {
  const cli = useCliSandbox()

  it('lists stored sessions and shows one with its look-ups and decision records, as the run reported them', async () => {
    // Given a run recorded in the cache
    const run = await cli.json<SessionJson>(['run', '--tasks', 'search-disflqa', '--limit', '8'], { timeoutMs: 60_000 })

    // When the sessions are listed and the run's session is shown, for scripts and for people
    const list = await cli.json<SessionListJson>(['sessions'])
    const shown = await cli.json<SessionJson>(['sessions', String(run.session.id)])
    const table = await cli.run(['sessions'])
    const detail = await cli.run(['sessions', String(run.session.id)])

    // Then the list has it with its summary, and the stored session is exactly what the run reported
    expect(list.sessions).toEqual([run.session])
    expect(shown).toEqual(run)
    expect(shown.lookups.every((l) => l.decision !== null && typeof l.decision.reason === 'string')).toBe(true)
    // And people see a table, then each look-up with the candidate it was compared with and why
    expect(table.stdout).toMatch(/^ {2}ID {2}STARTED .* HIT % +SPENT \$ +SAVED \$\n +1 {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}search-disflqa +replay +8 +8 /)
    expect(detail.stdout).toContain('Session 1 · search-disflqa · agent replay')
    expect(detail.stdout).toMatch(/\n {3}1\. MISS {2}search "What makes the Wells Fargo Center stand out\?"/)
    expect(detail.stdout).toMatch(/HIT semantic {2}search ".*".*\n {6}nearest #\d+ ".*" {2}similarity [01]\.\d{3} \(hit\)\n {6}why: semantic match/)
  })

  it('says when there are no sessions, and when an id does not exist', async () => {
    const empty = await cli.run(['sessions'])
    expect(empty.stdout).toContain('No sessions yet. Run one: asteria run --tasks search-disflqa')
    const missing = await cli.json<{ error: { code: string; message: string } }>(['sessions', '42'], { exitCode: 4 })
    expect(missing.error).toMatchObject({ code: 'NOT_FOUND', message: 'No session with id 42.' })
  })

  it('refuses an id that is not a number as bad input (exit 2), as it does an unknown flag', async () => {
    const notANumber = await cli.json<{ error: { code: string; message: string; suggestions: string[] } }>(['sessions', 'abc'], { exitCode: 2 })
    expect(notANumber.error).toEqual({ code: 'BAD_INPUT', message: 'Expected an integer but received: abc', exitCode: 2, suggestions: ['asteria sessions --help'] })
    const unknownFlag = await cli.json<{ error: { code: string; message: string } }>(['sessions', '--nope'], { exitCode: 2 })
    expect(unknownFlag.error).toMatchObject({ code: 'BAD_INPUT', message: 'Nonexistent flag: --nope' })
  })
})
