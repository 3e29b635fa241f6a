import { chalk } from './color.js'
import type { CalibrationReset } from '../core/admin/stats.js'
import type { CalibrationReport, ThresholdChange } from '../core/calibration/calibration.js'
import type { Thresholds } from '../core/decision.js'

export interface CalibrationView {
  reset: CalibrationReset | null
  thresholds: Thresholds
  policy: string
  embedder: string
  calibration: CalibrationReport | null
  /** Newest first. */
  history: ThresholdChange[]
}

/** The status line of self-calibration, as `cache stats` and `cache calibration` print it. */
export function calibrationLine(c: CalibrationReport): string {
  const tau = `${c.axis === 'judge' ? 'tau_judge' : 'tau_sim'} ${c.tau}`
  const estimate = c.estimate === null ? 'no verified hits yet' : `precision ${c.estimate.toFixed(4)} on ${c.verified} verified hits (${c.wrong} wrong), 95% lower bound ${c.lowerBound.toFixed(4)}`
  const moves = c.verified < c.minimum ? `; the threshold moves only after ${c.minimum} verified hits` : ''
  return `${estimate} at ${tau}: ${c.status} for target ${c.targetPrecision}${moves}`
}

export function formatCalibration(view: CalibrationView): string {
  const lines = [chalk.bold(`Calibration of ${view.policy} with ${view.embedder}`)]
  if (view.reset) lines.push(`  reset: ${view.reset.verified} verified hits and ${view.reset.changes} threshold changes forgotten`)
  lines.push(`  in force    tau_sim ${view.thresholds.tauSim}${view.thresholds.tauJudge > 0 ? `, tau_judge ${view.thresholds.tauJudge}` : ''}`)
  if (view.calibration) lines.push(`  status      ${calibrationLine(view.calibration)}`)
  if (view.history.length === 0) lines.push('  changes     none: the thresholds are the configured or default ones')
  for (const change of view.history) lines.push(`  ${new Date(change.changedAt).toISOString()}  ${change.reason}`)
  return lines.join('\n')
}
