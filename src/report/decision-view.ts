import { chalk } from './color.js'
import type { DecisionRecord } from '../core/decision.js'
import type { FetchResult } from '../core/cache/requests.js'

function headline(result: FetchResult): string {
  const d = result.decision
  if (result.source === 'coalesced') return chalk.cyan('COALESCED')
  if (d.kind === 'exact') return chalk.green('HIT (exact)')
  if (d.kind === 'semantic') return chalk.green('HIT (semantic)')
  if (d.kind === 'bypass') return chalk.yellow('BYPASS')
  return chalk.yellow('MISS')
}

/** The decision record as a few readable lines: what matched (or nearly did) and why. */
export function formatDecision(result: FetchResult): string[] {
  const d: DecisionRecord = result.decision
  const lines = [`${headline(result)}  ${chalk.dim(`policy ${d.policy}, tau_sim ${d.thresholds.tauSim}, look-up ${d.timings.totalMs.toFixed(1)} ms`)}`]
  const best = d.candidates.find((c) => c.outcome === 'hit') ?? d.candidates[0]
  if (best) {
    lines.push(`  nearest: #${best.id} "${best.query}"  similarity ${best.similarity.toFixed(3)}  (${best.outcome})`)
  }
  lines.push(`  why: ${d.reason}`)
  const guard = d.guard
  const matched = guard?.alignment?.filter((m) => m.kind !== 'same') ?? []
  if (guard?.pass && matched.length > 0) lines.push(chalk.dim(`  matched: ${matched.map((m) => `"${m.query}" ~ "${m.candidate}" (${m.kind})`).join(', ')}`))
  const repairs = [...(guard?.repairs?.query ?? []).map((r) => `query took back "${r.reparandum}" (${r.cue})`), ...(guard?.repairs?.candidate ?? []).map((r) => `stored question took back "${r.reparandum}" (${r.cue})`)]
  if (repairs.length > 0) lines.push(chalk.dim(`  self-correction: ${repairs.join('; ')}`))
  if (d.judge) lines.push(`  judge ${d.judge.name}: ${d.judge.verdict}${d.judge.score === null ? '' : ` (${d.judge.score.toFixed(2)})`}${d.judge.reason ? chalk.dim(`  ${d.judge.reason}`) : ''}`)
  if (result.source === 'remote') {
    const stored = result.element ? `stored as #${result.element.id}` : 'not stored'
    lines.push(`  fetched from the source in ${result.latencyMs.toFixed(0)} ms for $${result.costUsd.toFixed(4)}; ${stored}`)
  } else if (result.element && result.source === 'cache') {
    lines.push(chalk.green(`  saved ${result.element.latencyMs.toFixed(0)} ms and $${result.element.costUsd.toFixed(4)}`))
  }
  return lines
}

/** The top documents of a source result, one line each. */
export function formatResult(result: unknown, max = 3, width = 160): string[] {
  const documents = (result as { documents?: { title?: string; text: string }[] })?.documents
  if (!Array.isArray(documents)) return [JSON.stringify(result).slice(0, width)]
  if (documents.length === 0) return ['  (no documents)']
  return documents.slice(0, max).map((doc, i) => {
    const text = doc.text.replace(/\s+/g, ' ')
    const snippet = text.length > width ? text.slice(0, width - 1) + '…' : text
    return `  ${i + 1}. ${doc.title ? chalk.bold(doc.title) + ' — ' : ''}${snippet}`
  })
}
