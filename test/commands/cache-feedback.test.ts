import { describe, expect, it } from 'vitest'
import type { CacheStats } from '../../src/core/admin/stats.js'
import type { FeedbackReport } from '../../src/core/admin/feedback.js'
import type { fetchJson } from '../../src/report/fetch-json.js'
import { errorText, useCliSandbox } from '../helpers/run-cli.js'

type QueryJson = ReturnType<typeof fetchJson>
const DNA = 'what is dna'
const AUTHOR = 'who wrote the declaration of independence'
const AUTHOR_PARAPHRASE = 'who was the author of the declaration of independence'

describe('asteria cache feedback', () => {
  const cli = useCliSandbox()

  it('ID --wrong removes the element and counts a verified false hit that stats report', async () => {
    // Given an answer served from the cache
    const first = await cli.ask(DNA)
    const hit = await cli.ask('What is DNA?')
    expect(hit).toMatchObject({ hit: true, element: { id: first.element!.id } })
    // When the user reports it wrong
    const report = await cli.json<FeedbackReport>(['cache', 'feedback', String(first.element!.id), '--wrong'])
    // Then it is removed and counted as a wrong verified hit (one is too few to certify or to move the threshold)
    expect(report).toMatchObject({ elementId: first.element!.id, query: DNA, wrong: true, removed: true })
    expect(report.calibration).toMatchObject({ verified: 1, wrong: 1, status: 'not yet certified', minimum: 18, targetPrecision: 0.99, axis: 'sim' })
    const { elements } = await cli.json<{ elements: unknown[] }>(['cache', 'inspect'])
    expect(elements).toEqual([])
    const stats = await cli.json<CacheStats>(['cache', 'stats'])
    expect(stats.verification).toMatchObject({ verified: 1, wrong: 1 })
    expect(stats.evictions).toMatchObject({ manual: 1, total: 1 })
    expect(stats.calibration).toMatchObject({ verified: 1, wrong: 1, status: 'not yet certified', estimate: 0 })
  })

  it('prints what it removed and where calibration stands, and stats show the estimate, its bound and the sample', async () => {
    // Given a stored answer served as a semantic hit to a paraphrase, then reported wrong
    const first = await cli.ask(AUTHOR)
    // (no sampled verification of the hit: it would add a verified hit of its own, 5% of the time)
    const noSampling = { env: { ASTERIA_VERIFY_SHARE: '0' } }
    expect(await cli.json<QueryJson>(['query', AUTHOR_PARAPHRASE], noSampling)).toMatchObject({ decision: { kind: 'semantic', elementId: first.element!.id } })
    const run = await cli.run(['cache', 'feedback', String(first.element!.id), '--wrong'])
    // Then the report names the element, the band of the hit and the calibration status
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain(`Removed element #${first.element!.id} ("${AUTHOR}") and counted a verified false hit in similarity band 0.75-0.80.`)
    // (calibration moves on evidence only: one wrong hit holds tau_sim at 0.58; it takes 18 verified hits at target 0.99)
    expect(run.stdout).toContain('Calibration: not yet certified (1 wrong of 1 verified at tau_sim 0.58; lower bound 0.000, target 0.99).')
    // And stats show the verified false hit, why the threshold holds, and the threshold in force
    const stats = await cli.json<{ verification: unknown; calibration: { reason: string; lastChange: unknown }; thresholds: { tauSim: number } }>(['cache', 'stats'])
    expect(stats.verification).toMatchObject({ verified: 1, wrong: 1 })
    expect(stats.calibration).toMatchObject({ reason: '1 of 1 verified hits wrong at tau 0.58: too few to move it (needs 18)', lastChange: null })
    expect(stats.thresholds.tauSim).toBe(0.58)
    const human = await cli.run(['cache', 'stats'])
    expect(human.stdout).toContain('evictions   1 (1 manual)')
    expect(human.stdout).toContain('the threshold moves only after 18 verified hits')
  })

  it('refuses (exit 2) an element the cache never served, counting nothing and keeping it', async () => {
    // Given an element stored by a miss and never served as a hit
    const first = await cli.ask(DNA)
    const id = first.element!.id

    // When it is reported wrong, for a human and under --json
    const [human, json] = [await cli.run(['cache', 'feedback', String(id), '--wrong']), await cli.run(['cache', 'feedback', String(id), '--wrong', '--json'])]

    // Then both are refused: it answered no one; nothing is counted and the element stays
    const message = `Expected an element the cache has served as a hit; element #${id} ("${DNA}") has never been served (0 hits), so it answered no one.`
    expect(human.exitCode).toBe(2)
    expect(human.stdout).toBe('')
    expect(errorText(human.stderr)).toContain(message)
    expect(errorText(human.stderr)).toContain(`asteria cache delete ${id}`)
    expect(json.exitCode).toBe(2)
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'BAD_INPUT', exitCode: 2, message } })
    const stats = await cli.json<CacheStats>(['cache', 'stats'])
    expect(stats.verification).toMatchObject({ verified: 0, wrong: 0 })
    expect(stats.summary.elements).toBe(1)
  })

  it('exits 4 for an unknown id, 2 without --wrong or with an id that is not a number', async () => {
    const [unknown, noVerdict, notNumber] = await Promise.all([
      cli.run(['cache', 'feedback', '999', '--wrong']),
      cli.run(['cache', 'feedback', '1']),
      cli.run(['cache', 'feedback', 'abc', '--wrong', '--json']),
    ])
    expect(unknown.exitCode).toBe(4)
    expect(errorText(unknown.stderr)).toContain('No element with id 999')
    expect(noVerdict.exitCode).toBe(2)
    expect(errorText(noVerdict.stderr)).toContain('Expected --wrong')
    expect(notNumber.exitCode).toBe(2)
    expect(JSON.parse(notNumber.stdout).error.code).toBe('BAD_INPUT')
  })
})
