import { chalk } from './color.js'
import type { SessionDetail, SessionLookup } from '../core/ports/session-log.js'
import { formatMs, formatSessionReport } from './session-report.js'

function outcomeLabel(l: SessionLookup): string {
  switch (l.outcome) {
    case 'exact':
      return chalk.green('HIT exact')
    case 'semantic':
      return chalk.green('HIT semantic')
    case 'coalesced':
      return chalk.cyan('COALESCED')
    case 'error':
      return chalk.red('ERROR')
    case 'bypass':
      return chalk.yellow('BYPASS')
    default:
      return chalk.yellow('MISS')
  }
}

/** One look-up and its decision record in three lines: outcome, nearest candidate, why. */
export function formatLookup(l: SessionLookup): string[] {
  const head = `${String(l.seq).padStart(4)}. ${outcomeLabel(l)}  ${l.tool} "${l.query}"  ${chalk.dim(`task ${l.taskSeq}, ${formatMs(l.latencyMs)}`)}`
  if (l.error) return [head, `      ${chalk.red(l.error)}`]
  const d = l.decision
  if (!d) return [head]
  const lines = [head]
  const best = d.candidates.find((c) => c.outcome === 'hit') ?? d.candidates[0]
  if (best) lines.push(`      nearest #${best.id} "${best.query}"  similarity ${best.similarity.toFixed(3)} (${best.outcome})`)
  lines.push(`      why: ${d.reason}${d.judge ? `; judge ${d.judge.name} ${d.judge.verdict}` : ''}`)
  if (l.outcome === 'miss' && l.elementId !== null) lines.push(chalk.dim(`      fetched in ${formatMs(l.remoteLatencyMs)} for $${l.costUsd.toFixed(4)}, stored as #${l.elementId}`))
  return lines
}

/** `asteria sessions ID`: the report, each task, and each look-up with its decision record. */
export function formatSessionDetail(detail: SessionDetail): string {
  const lines = [formatSessionReport(detail.session), '', chalk.bold('Tasks')]
  for (const t of detail.tasks) {
    const mark = t.error ? chalk.red('✖') : t.correct === true ? chalk.green('✔') : t.correct === false ? chalk.yellow('✘') : chalk.dim('·')
    lines.push(`  ${mark} ${t.seq}. ${t.id} (${t.kind}) ${t.question}`)
    lines.push(chalk.dim(`      ${(t.error ?? t.answer).replace(/\s+/g, ' ').slice(0, 160)}`))
  }
  lines.push('', chalk.bold('Look-ups'))
  for (const l of detail.lookups) lines.push(...formatLookup(l))
  return lines.join('\n')
}
