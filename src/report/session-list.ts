import { chalk } from './color.js'
import type { SessionRecord } from '../core/ports/session-log.js'
import { formatPercent } from './session-report.js'

function cell(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width)
}

/**
 * One line per session: id, start, task set, agent, tasks, look-ups, hit rate, cost spent and
 * saved; sessions of a shared tier also name the machine that ran them.
 */
export function formatSessionList(sessions: SessionRecord[]): string {
  if (sessions.length === 0) return 'No sessions yet. Run one: asteria run --tasks search-disflqa'
  const shared = sessions.some((s) => s.machine !== undefined)
  const machine = (name: string) => (shared ? `${cell(name, 16)} ` : '')
  const header = chalk.bold(
    `${'ID'.padStart(4)}  ${cell('STARTED', 19)}  ${machine('MACHINE')}${cell('TASK SET', 24)} ${cell('AGENT', 16)} ${'TASKS'.padStart(5)} ${'LOOKUPS'.padStart(7)} ${'HITS'.padStart(5)} ${'HIT %'.padStart(6)} ${'SPENT $'.padStart(8)} ${'SAVED $'.padStart(8)}`,
  )
  const rows = sessions.map((s) => {
    const m = s.summary
    const started = new Date(s.startedAt).toISOString().slice(0, 19).replace('T', ' ')
    const figures = m
      ? `${String(m.tasks).padStart(5)} ${String(m.requests).padStart(7)} ${String(m.hits.total).padStart(5)} ${formatPercent(m.hitRate).padStart(6)} ${m.costSpentUsd.toFixed(4).padStart(8)} ${m.costSavedUsd.toFixed(4).padStart(8)}${s.status === 'finished' ? '' : chalk.yellow(`  ${s.status}`)}`
      : chalk.dim(`  (${s.status}: see asteria sessions ${s.id})`)
    return `${String(s.id).padStart(4)}  ${started}  ${machine(s.machine ?? '')}${cell(s.taskSet, 24)} ${cell(s.agent, 16)} ${figures}`
  })
  return [header, ...rows].join('\n')
}
