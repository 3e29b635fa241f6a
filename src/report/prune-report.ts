import { EVICTION_REASONS, type PruneReport } from '../core/eviction.js'

/** "Evicted 3 elements (2 expired, 1 budget): 10 -> 7 elements, 5000 -> 3500 bytes." */
export function pruneSummaryLine(report: PruneReport): string {
  const reasons = EVICTION_REASONS.filter((r) => report.byReason[r] > 0).map((r) => `${report.byReason[r]} ${r}`)
  return (
    `Evicted ${report.evicted.length} element${report.evicted.length === 1 ? '' : 's'}${reasons.length ? ` (${reasons.join(', ')})` : ''}: ` +
    `${report.before.entries} -> ${report.after.entries} elements, ${report.before.bytes} -> ${report.after.bytes} bytes.`
  )
}

/** `asteria cache prune --json`: usage before and after, and each evicted element with its reason. */
export function pruneJson(report: PruneReport, shared: boolean) {
  return {
    ...(shared ? { shared: true, ran: true } : {}),
    before: report.before,
    after: report.after,
    evicted: report.evicted.length,
    byReason: report.byReason,
    elements: report.evicted.map((e) => ({ id: e.elementId, query: e.query, tool: e.tool, namespace: e.namespace, reason: e.reason })),
  }
}
