import { chalk } from './color.js'
import type { Distribution, JudgeEvalResult } from '../scoring/pair-eval.js'

const num = (x: number | null, digits = 3): string => (x === null ? 'n/a' : x.toFixed(digits))
const ms = (d: Distribution): string => `p50 ${d.p50.toFixed(2)} ms, p95 ${d.p95.toFixed(2)} ms, mean ${d.mean.toFixed(2)} ms`

/** `asteria judge eval` for a terminal: the headline figures, the confusion matrix, latency, and the sweep. */
export function formatJudgeEval(r: JudgeEvalResult): string[] {
  const c = r.confusion
  const tau = `tau_sim ${r.thresholds.tauSim}${r.judge ? `, tau_judge ${r.thresholds.tauJudge}` : ''}`
  const lines = [
    chalk.bold(`${r.file}: ${r.pairs} pairs (${r.positives} equivalent, ${r.negatives} not), split ${r.split}`),
    chalk.dim(`embedder ${r.embedder}; policy ${r.policy}${r.judge ? ` (${r.judge})` : ''}; ${tau}`),
    '',
    `  precision  ${num(r.precision)}   (share of accepted pairs that are equivalent; 1 - false-hit rate)`,
    `  recall     ${num(r.recall)}   (share of equivalent pairs accepted)`,
    `  F1         ${num(r.f1)}`,
    `  false-positive rate  ${num(r.falsePositiveRate)}   (share of non-equivalent pairs accepted)`,
    `  ROC-AUC    similarity ${num(r.rocAuc.similarity)}, after the guard ${num(r.rocAuc.acceptance)}` +
      (r.judge ? `, judge score ${num(r.rocAuc.judge)} on ${r.rocAuc.judgedPairs} judged pairs` : ''),
    '',
    '                  accepted  rejected',
    `  equivalent      ${String(c.truePositives).padStart(8)}  ${String(c.falseNegatives).padStart(8)}`,
    `  not equivalent  ${String(c.falsePositives).padStart(8)}  ${String(c.trueNegatives).padStart(8)}`,
    '',
    `  guard rejected ${r.guardRejections} pairs` +
      (r.guardRejections > 0 ? ` (${Object.entries(r.guardReasons).sort((x, y) => y[1] - x[1]).map(([k, n]) => `${k} ${n}`).join(', ')})` : ''),
  ]
  if (r.categories) lines.push('', ...formatCategories(r))
  if (r.judge) lines.push(`  judge: ${r.rocAuc.judgedPairs} pairs scored, ${r.judgeSkipped} skipped (similarity band), ${r.judgeErrors} errors`)
  lines.push(`  latency per pair: ${ms(r.latencyMs.total)}`)
  lines.push(chalk.dim(`    embedding ${ms(r.latencyMs.embed)}; guard ${ms(r.latencyMs.guard)}${r.judge ? `; judge ${ms(r.latencyMs.judge)}` : ''}`))
  if (r.sweep) lines.push('', ...formatSweep(r))
  return lines
}

function formatCategories(r: JudgeEvalResult): string[] {
  const rows = Object.entries(r.categories!)
  const width = Math.max(8, ...rows.map(([name]) => name.length))
  return [
    `  ${'category'.padEnd(width)}  pairs  equiv  accepted  precision  recall`,
    ...rows.map(([name, c]) => `  ${name.padEnd(width)}  ${String(c.pairs).padStart(5)}  ${String(c.positives).padStart(5)}  ${String(c.accepted).padStart(8)}  ${num(c.precision).padStart(9)}  ${num(c.recall).padStart(6)}`),
  ]
}

function formatSweep(r: JudgeEvalResult): string[] {
  const sweep = r.sweep!
  const name = sweep.axis === 'tauSim' ? 'tau_sim' : 'tau_judge'
  const lines = [chalk.bold(`Sweep of ${name}${sweep.axis === 'tauJudge' ? ` (tau_sim ${r.thresholds.tauSim})` : ''}`), `  ${name.padEnd(9)}  accepted  precision  recall`]
  for (const p of sweep.points.filter((_, i) => i % 5 === 0 || sweep.points.length - i <= 4)) {
    lines.push(`  ${p.threshold.toFixed(2).padEnd(9)}  ${String(p.accepted).padStart(8)}  ${num(p.precision).padStart(9)}  ${p.recall.toFixed(3).padStart(6)}`)
  }
  const rec = sweep.recommended
  lines.push(
    rec
      ? chalk.green(`Recommended ${name} ${rec.threshold.toFixed(4)}: precision ${rec.precision.toFixed(3)} >= ${sweep.targetPrecision} at recall ${rec.recall.toFixed(3)}`)
      : chalk.yellow(`No ${name} reaches precision ${sweep.targetPrecision} on these pairs; only exact matches would be served. Lower --target-precision or use a stronger judge.`),
  )
  return lines
}
