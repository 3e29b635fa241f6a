import { describe, expect, it } from 'vitest'
import { runBench, type BenchOptions } from '../../src/bench/run-bench.js'
import { defaultConfig } from '../../src/config/config.js'
import { loadStaticEmbedder } from '../../src/embed/static-embedder.js'
import { echoSource, traceOf } from './bench-fixtures.js'

/** A small labelled trace: repeated questions, paraphrases, and a near-miss with another year. */
function smallTrace() {
  const rows = [
    ['who wrote the declaration of independence', 'decl'],
    ['population of France in 2020', 'fr2020'],
    ['who was the author of the declaration of independence', 'decl'],
    ['population of France in 2021', 'fr2021'],
    ['Who wrote the Declaration of Independence?', 'decl'],
    ['what is the capital of australia', 'canberra'],
    ['population of France in 2020', 'fr2020'],
    ['capital city of australia', 'canberra'],
  ]
  return traceOf(Array.from({ length: 32 }, (_, i) => {
    const [query, intent] = rows[i % rows.length]
    return { session: `s${i % 6}`, query, intent, answers: [intent], t_ms: i * 120 }
  }))
}

function options(extra: Partial<BenchOptions> = {}): BenchOptions {
  return {
    trace: { name: 'small', requests: smallTrace() },
    config: { ...defaultConfig({}), latencyMs: [300, 500] },
    embedder: loadStaticEmbedder(),
    workers: 4,
    openLoop: false,
    realTime: false,
    seed: 1,
    quick: true,
    source: echoSource(),
    ...extra,
  }
}

describe('runBench', () => {
  it('replays the trace through all five variants and the two curves, and compares them at matched false-hit rates', async () => {
    // Given a small labelled trace and a 300–500 ms simulated source
    const progress: number[] = []
    // When benchmarked
    const result = await runBench(options({ onProgress: ({ done }) => progress.push(done) }))
    // Then every variant answered every request
    expect(result.variants.map((v) => v.name)).toEqual(['none', 'exact', 'threshold', 'asteria', 'oracle'])
    for (const v of result.variants) expect(v.metrics.requests).toBe(32)
    const [none, exact, threshold, asteria, oracle] = result.variants.map((v) => v.metrics)
    // and the baselines behave as defined
    expect(none).toMatchObject({ hits: 0, remoteCalls: 32, coalesced: 0 })
    expect(none.costUsd).toBeCloseTo(32 * 0.005)
    expect(exact).toMatchObject({ wrongHits: 0, hitsBeyondExactRepeats: 0 })
    expect(oracle).toMatchObject({ wrongHits: 0, oracleShare: 1, falseHitRate: 0 })
    for (const m of [exact, threshold, asteria]) expect(m.correctHits).toBeLessThanOrEqual(oracle.correctHits)
    expect(oracle.hits + oracle.coalesced + oracle.remoteCalls).toBe(32)
    // and the curves cover the quick grid, threshold-only at its customary 0.8 and Asteria at its default
    expect(result.variants[2]).toMatchObject({ tauSim: 0.8, policy: 'none' })
    expect(result.variants[3]).toMatchObject({ tauSim: 0.58, policy: 'guard' })
    expect(result.curves.threshold.map((p) => p.tauSim)).toEqual(result.settings.tauGrid.filter((t) => result.curves.threshold.some((p) => p.tauSim === t)))
    expect(result.curves.asteria.some((p) => p.tauSim === 0.58)).toBe(true)
    expect(result.headline?.summary).toHaveLength(3)
    expect(result.settings).toMatchObject({ mode: 'closed-loop', clock: 'simulated', throughput: 'modelled', quick: true, remoteLatencyMs: [300, 500] })
    expect(result.trace).toMatchObject({ name: 'small', requests: 32, sessions: 6, labelledRequests: 32, distinctIntents: 4 })
    // and progress counted every replayed request
    expect(progress.at(-1)).toBe(32 * (3 + result.curves.threshold.length + result.curves.asteria.length))
    // and the result is plain JSON
    expect(JSON.parse(JSON.stringify(result))).toEqual(result)
  })

  it('gives the same hit, false-hit and correct-hit counts on every run with the same trace, settings and seed', async () => {
    // Given half of all semantic hits verified (seeded draws), under a busy event loop on the second run
    const config = { ...defaultConfig({}), latencyMs: [300, 500] as [number, number], verifyShare: 0.5 }
    const counts = (r: Awaited<ReturnType<typeof runBench>>) =>
      [...r.variants.map((v) => [v.name, v.metrics.hits, v.metrics.wrongHits, v.metrics.correctHits, v.metrics.remoteCalls]), ...r.curves.asteria.map((p) => [p.tauSim, p.correctHits, p.falseHitRate])]
    const first = counts(await runBench(options({ config })))
    const busy = setInterval(() => { const end = performance.now() + 3; while (performance.now() < end); }, 1)
    const second = counts(await runBench(options({ config })).finally(() => clearInterval(busy)))
    // Then both runs count the same
    expect(second).toEqual(first)
  })

  it('serves the year near-miss to threshold-only but not to the guard', async () => {
    const result = await runBench(options())
    const [, , threshold, asteria] = result.variants.map((v) => v.metrics)
    expect(threshold.wrongHits).toBeGreaterThan(0)
    expect(asteria.wrongHits).toBe(0)
  })

  it('needs t_ms on every line for --open-loop, and names the line without it', async () => {
    const requests = traceOf([{ session: 'a', query: 'q one', t_ms: 0 }, { session: 'b', query: 'q two' }])
    await expect(runBench(options({ trace: { name: 'gappy', requests }, openLoop: true }))).rejects.toThrow('--open-loop needs "t_ms" on every line of gappy; line 2 has none.')
  })

  it('runs in real time, once per variant, when asked', async () => {
    // Given a source with no simulated latency
    const result = await runBench(options({ realTime: true, config: { ...defaultConfig({}), latencyMs: 0 }, limit: 8 }))
    // Then each variant ran once, on wall time, without curves
    expect(result.settings).toMatchObject({ clock: 'real-time', throughput: 'measured', tauGrid: [] })
    expect(result.curves).toEqual({ threshold: [], asteria: [] })
    expect(result.headline).toBeNull()
    expect(result.variants.every((v) => v.metrics.requests === 8)).toBe(true)
  })
})
