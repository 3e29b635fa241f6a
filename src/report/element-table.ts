import { chalk } from './color.js'
import type { ElementDetail } from '../core/admin/elements.js'
import type { SemanticElement } from '../core/semantic-element.js'

export function formatDuration(ms: number): string {
  if (ms <= 0) return 'expired'
  const units: [number, string][] = [[86_400_000, 'd'], [3_600_000, 'h'], [60_000, 'm'], [1000, 's']]
  for (const [size, unit] of units) if (ms >= size) return `${Math.floor(ms / size)}${unit}`
  return `${Math.round(ms)}ms`
}

function cell(text: string, width: number): string {
  return text.length > width ? text.slice(0, width - 1) + '…' : text.padEnd(width)
}

/** One line per element: id, query, tool, source, hits, staticity, TTL left, latency, cost, size. */
export function formatElementTable(elements: SemanticElement[], now: number): string {
  if (elements.length === 0) return 'No elements match. Ask something first: asteria query "who wrote hamlet"'
  const header = chalk.bold(
    `${'ID'.padStart(5)}  ${cell('QUERY', 36)}  ${cell('TOOL', 8)} ${cell('SOURCE', 12)} ${'HITS'.padStart(5)} ${'STAT'.padStart(4)} ${'TTL'.padStart(6)} ${'LAT ms'.padStart(7)} ${'COST $'.padStart(8)} ${'SIZE'.padStart(7)}`,
  )
  const rows = elements.map(
    (e) =>
      `${String(e.id).padStart(5)}  ${cell(e.query, 36)}  ${cell(e.tool, 8)} ${cell(e.source || '-', 12)} ${String(e.frequency).padStart(5)} ${String(e.staticity).padStart(4)} ${formatDuration(e.expiresAt - now).padStart(6)} ${e.latencyMs.toFixed(0).padStart(7)} ${e.costUsd.toFixed(4).padStart(8)} ${String(e.sizeBytes).padStart(7)}`,
  )
  return [header, ...rows].join('\n')
}

export function formatElementDetail(detail: ElementDetail, now: number): string {
  const e = detail.element
  const lines = [
    chalk.bold(`Element #${e.id}`),
    `  query       ${e.query}`,
    `  scope       namespace ${e.namespace}, tool ${e.tool}, args ${JSON.stringify(e.args)}, source ${e.source || '(not recorded)'}`,
    `  embedder    ${e.embedder}`,
    `  origin      ${e.origin}, hits ${e.frequency}, staticity ${e.staticity}`,
    `  created     ${new Date(e.createdAt).toISOString()}  last access ${new Date(e.lastAccessAt).toISOString()}`,
    `  expires     ${new Date(e.expiresAt).toISOString()} (${formatDuration(e.expiresAt - now)} left)`,
    `  remote call ${e.latencyMs.toFixed(0)} ms, $${e.costUsd.toFixed(4)}; result ${e.sizeBytes} bytes`,
    '',
    chalk.bold('Nearest neighbours in its scope'),
  ]
  if (detail.neighbours.length === 0) lines.push('  (none)')
  for (const n of detail.neighbours) lines.push(`  #${String(n.element.id).padEnd(5)} ${n.similarity.toFixed(3)}  ${n.element.query}`)
  return lines.join('\n')
}
