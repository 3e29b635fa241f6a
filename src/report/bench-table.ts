import { chalk } from './color.js'
import type { BenchResult, VariantReport } from '../bench/bench-result.js'

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`)
const num = (x: number | null, digits = 1) => (x === null ? 'n/a' : x.toFixed(digits))

interface Column {
  title: string
  width: number
  value: (v: VariantReport) => string
}

const COLUMNS: Column[] = [
  { title: 'variant', width: 10, value: (v) => v.name },
  { title: 'tau', width: 5, value: (v) => (v.tauSim === null ? '' : String(v.tauSim)) },
  { title: 'hit rate', width: 8, value: (v) => pct(v.metrics.hitRate) },
  { title: 'beyond exact', width: 12, value: (v) => String(v.metrics.hitsBeyondExactRepeats) },
  { title: 'false hits', width: 10, value: (v) => pct(v.metrics.falseHitRate) },
  { title: 'wrong/1k', width: 8, value: (v) => num(v.metrics.wrongAnswersPer1000) },
  { title: 'of oracle', width: 9, value: (v) => pct(v.metrics.oracleShare) },
  { title: 'accuracy', width: 8, value: (v) => pct(v.metrics.answerAccuracy) },
  { title: 'remote', width: 6, value: (v) => String(v.metrics.remoteCalls) },
  { title: 'cost $', width: 7, value: (v) => v.metrics.costUsd.toFixed(2) },
  { title: 'coalesced', width: 9, value: (v) => String(v.metrics.coalesced) },
  { title: 'p50 ms', width: 7, value: (v) => num(v.metrics.latencyP50Ms) },
  { title: 'p95 ms', width: 7, value: (v) => num(v.metrics.latencyP95Ms) },
  { title: 'req/s', width: 6, value: (v) => num(v.metrics.throughputRps) },
  { title: 'judge', width: 5, value: (v) => String(v.metrics.judgeCalls) },
]

/** The per-variant table, the matched-false-hit-rate headline and the notes, for the terminal. */
export function formatBenchTable(result: BenchResult): string {
  const { trace, settings } = result
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(COLUMNS[i].width) : c.padStart(COLUMNS[i].width))).join('  ')
  const lines = [
    chalk.bold(`asteria bench: ${trace.name}, ${trace.requests} requests in ${trace.sessions} sessions (${trace.distinctIntents} intents, ${trace.distinctWordings} distinct wordings)`),
    chalk.dim(
      `${settings.mode === 'closed-loop' ? `closed loop of ${settings.workers} workers` : 'open loop (t_ms arrivals)'}, ${settings.clock === 'simulated' ? 'simulated clock' : 'real time'}; ` +
        `remote ${settings.remoteLatencyMs.join('–')} ms at $${settings.priceUsdPerCall}/call; ` +
        `embedder ${settings.embedder}, judge ${settings.judge}`,
    ),
    '',
    chalk.bold(line(COLUMNS.map((c) => c.title))),
    ...result.variants.map((v) => line(COLUMNS.map((c) => c.value(v)))),
    chalk.dim(`req/s is ${settings.throughput}; latencies are per request (${settings.clock === 'simulated' ? 'simulated time' : 'wall time'}).`),
  ]
  if (result.headline) lines.push('', chalk.bold('At matched false-hit rates'), ...result.headline.summary.map((s) => `  ${s}`))
  if (result.notes.length > 0) lines.push('', ...result.notes.map((n) => chalk.dim(`note: ${n}`)))
  return lines.join('\n')
}
