/**
 * npx tsx scripts/bench-ablations.ts [--trace FILE] [--only eviction,prefetch,calibration] [--max-requests N] [--shares 0.1,0.2] [--seeds 1,2,3] [--json]
 *
 * Ablations of issue 7, each replaying a trace through real SemanticCaches (in-memory SQLite,
 * static embedder, ManualClock, simulated remote latency) in one run:
 * (a) eviction LCFU vs LRU vs LFU at 20% of the working set, on a mix of a dear slow tool and a
 *     cheap fast one; (b) prefetch off vs on; (c) calibration off vs on from a loose threshold.
 * Default trace: the built-in search workload (fixtures/workloads/search.jsonl.gz).
 */
import { existsSync } from 'node:fs'
import { loadTrace } from '../src/bench/workloads.js'
import type { TraceRequest } from '../src/bench/trace-request.js'
import { loadStaticEmbedder } from '../src/embed/static-embedder.js'
import { guardPolicy, thresholdOnlyPolicy } from '../src/core/ports/hit-policy.js'
import { calibrationAblation } from './ablations/calibration-ablation.js'
import { evictionAblation } from './ablations/eviction-ablation.js'
import { prefetchAblation } from './ablations/prefetch-ablation.js'
import { assignTools, planTrace, TOOL_MIX } from './ablations/workload.js'

const args = process.argv.slice(2)
const option = (name: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const json = args.includes('--json')
const only = new Set((option('only') ?? 'eviction,prefetch,calibration').split(','))
const seeds = (option('seeds') ?? '1,2,3').split(',').map(Number)
const shares = (option('shares') ?? '0.1,0.2').split(',').map(Number)
const tracePath = option('trace')
if (tracePath && !existsSync(tracePath)) {
  console.log(`bench-ablations: skipped, the trace ${tracePath} is absent.`)
  process.exit(0)
}

const trace = loadTrace(tracePath ? { trace: tracePath } : { workload: 'search' })
const requests = assignTools(trace.requests.slice(0, Number(option('max-requests') ?? Infinity)))
const embedder = loadStaticEmbedder()
const say = (text: string) => json || console.log(text)
const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`)
const usd = (x: number) => `$${x.toFixed(3)}`
const results: Record<string, unknown> = { trace: trace.name, requests: requests.length, tools: TOOL_MIX }

say(`# Ablations on ${trace.name} (${requests.length} requests; tools: ${TOOL_MIX.map((t) => `${t.name} $${t.priceUsd}/${t.minMs}-${t.maxMs} ms`).join(', ')}, by intent hash)\n`)

if (only.has('eviction')) {
  const a = await evictionAblation(requests, { embedder, policy: guardPolicy, tauSim: 0.75 }, 0.2)
  results.eviction = a
  say(`## (a) Eviction at 20% of the working set (guard, tau_sim 0.75; working set ${a.workingSet.entries} elements, ${a.workingSet.bytes} bytes)\n`)
  say('| budget | policy | hit rate | false-hit rate | remote calls | remote cost | modelled throughput (1 worker) | evictions |')
  say('|---|---|---|---|---|---|---|---|')
  const line = (budget: string, r: (typeof a.tables)[number]['rows'][number]) =>
    say(`| ${budget} | ${r.policy} | ${pct(r.hitRate)} | ${pct(r.falseHitRate)} | ${r.remoteCalls} | ${usd(r.remoteCostUsd)} | ${r.throughput.toFixed(2)} req/s | ${r.evictions} |`)
  line('none', a.unlimited)
  for (const t of a.tables) for (const r of t.rows) line(`${t.capacity} ${t.budget}`, r)
  say('')
  for (const t of a.tables) {
    const cost = Object.fromEntries(t.rows.map((r) => [r.policy, r.remoteCostUsd]))
    say(`- by ${t.budget}: LCFU remote cost <= LRU and LFU: ${cost.lcfu <= cost.lru && cost.lcfu <= cost.lfu ? 'yes' : 'NO'}`)
  }
  say('')
}

if (only.has('prefetch')) {
  const planned = planTrace(trace.requests.filter((r) => r.intent), { tasks: 150, sessions: 10, stepsPerTask: 3, seed: seeds[0] })
  const workloads: [string, TraceRequest[]][] = [
    [trace.name, requests],
    ['3-step task plans, 10 sessions (derived)', assignTools(planned.slice(0, requests.length))],
  ]
  const prefetch = { threshold: 0.5, minObservations: 3, maxPerMinute: 60, maxCostPerHourUsd: 1 }
  say('## (b) Prefetch off vs on (LCFU at 20% of the working set; guard, tau_sim 0.75)\n')
  say(`Prefetch: P(next | current) >= ${prefetch.threshold} after >= ${prefetch.minObservations} transitions, <= ${prefetch.maxPerMinute}/min, <= $${prefetch.maxCostPerHourUsd}/h.\n`)
  say('| workload | prefetch | hit rate | correct hits | miss cost | prefetch calls | prefetch cost | total cost | prefetch precision | hits from prefetches |')
  say('|---|---|---|---|---|---|---|---|---|---|')
  const rows = []
  for (const [name, reqs] of workloads) {
    const b = await prefetchAblation(name, reqs, { embedder, policy: guardPolicy, tauSim: 0.75 }, prefetch, 0.2)
    rows.push(b)
    for (const r of b.rows) {
      say(`| ${r.workload} (capacity ${b.capacity}) | ${r.prefetch} | ${pct(r.hitRate)} | ${r.correctHits} | ${usd(r.missCostUsd)} | ${r.prefetchCalls} | ${usd(r.prefetchCostUsd)} | ${usd(r.totalCostUsd)} | ${pct(r.precision)} | ${r.prefetchHits} |`)
    }
  }
  results.prefetch = rows
  say('')
}

if (only.has('calibration')) {
  const c = await calibrationAblation(requests, { embedder, policy: thresholdOnlyPolicy }, {
    startTau: 0.5,
    targetPrecision: 0.99,
    sampleShares: shares,
    sweep: [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95],
    seeds,
  })
  results.calibration = c
  say(`## (c) Calibration off vs on (similarity only, starting at tau_sim 0.5; target precision ${c.targetPrecision})\n`)
  say('| run | tau_sim at the end of each quarter | false-hit rate by quarter | 2nd half: hits | correct | false-hit rate | miss cost | verification calls | verification cost | total cost | status |')
  say('|---|---|---|---|---|---|---|---|---|---|---|')
  for (const r of [...c.fixed, ...c.calibrated]) {
    say(
      `| ${r.label} | ${r.tauByQuarter.join(' / ')} | ${r.quarters.map(pct).join(' / ')} | ${r.secondHalf.hits} | ${r.secondHalf.correctHits} | ${pct(r.secondHalf.falseHitRate)} | ` +
        `${usd(r.missCostUsd)} | ${r.verifyCalls} | ${usd(r.verifyCostUsd)} | ${usd(r.totalCostUsd)} | ${r.status ?? '-'} |`,
    )
  }
  say('')
  for (const v of c.verdicts) {
    say(
      `- ${v.label}: 2nd-half false-hit rate ${v.withinLimit ? '<=' : '>'} target + margin (${pct(v.limit)}): ${v.withinLimit ? 'yes' : 'NO'}; ` +
        `correct hits ${pct(v.correctShare)} of the best fixed threshold at that false-hit rate (tau ${v.bestFixed.tau}, ${v.bestFixed.correctHits}, ${pct(v.bestFixed.falseHitRate)}): ${v.keepsEnough ? 'yes' : 'NO'}`,
    )
  }
}

if (json) console.log(JSON.stringify(results, null, 2))
