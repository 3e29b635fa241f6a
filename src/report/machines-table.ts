import { chalk } from './color.js'
import type { LatencyQuantiles, MachinesBenchResult, MachinesVariantReport, SharedCallLatency } from '../bench/machines/machines-result.js'

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`)
const ms = (q: LatencyQuantiles | null, key: keyof LatencyQuantiles) => (q === null ? 'n/a' : q[key].toFixed(2))
const signed = (x: number, digits: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`
const calls = (c: SharedCallLatency | null, what: string) => (c === null ? `no ${what}` : `${c.calls} ${what} p50 ${c.p50.toFixed(2)} ms, p95 ${c.p95.toFixed(2)} ms`)

interface Column {
  title: string
  width: number
  value: (v: MachinesVariantReport) => string
}

const COLUMNS: Column[] = [
  { title: 'variant', width: 34, value: (v) => v.description },
  { title: 'hit rate', width: 8, value: (v) => pct(v.hitRate) },
  { title: 'right intent', width: 12, value: (v) => pct(v.rightIntentHitRate) },
  { title: 'remote', width: 6, value: (v) => String(v.remoteCalls) },
  { title: 'coalesced', width: 9, value: (v) => String(v.coalesced) },
  { title: 'p50 ms', width: 7, value: (v) => ms(v.latencyMs.all, 'p50') },
  { title: 'p95 ms', width: 7, value: (v) => ms(v.latencyMs.all, 'p95') },
  { title: 'hit p50', width: 7, value: (v) => ms(v.latencyMs.hits, 'p50') },
  { title: 'hit p95', width: 7, value: (v) => ms(v.latencyMs.hits, 'p95') },
  { title: 'miss p50', width: 8, value: (v) => ms(v.latencyMs.misses, 'p50') },
  { title: 'miss p95', width: 8, value: (v) => ms(v.latencyMs.misses, 'p95') },
]

/** Isolated local caches against one shared tier: the value of sharing and its look-up cost. */
export function formatMachinesTable(result: MachinesBenchResult): string {
  const { trace, settings, sharing } = result
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(COLUMNS[i].width) : c.padStart(COLUMNS[i].width))).join('  ')
  const remote = settings.remoteLatencyMs[0] === settings.remoteLatencyMs[1] ? `${settings.remoteLatencyMs[0]}` : settings.remoteLatencyMs.join('–')
  const lines = [
    chalk.bold(`asteria bench --machines ${result.machines}: ${trace.name}, ${trace.requests} requests in ${trace.sessions} sessions, split by session over ${result.machines} processes`),
    chalk.dim(
      `requests per machine ${result.requestsPerMachine.join(' / ')}; shared tier ${result.sharedTier.location} (schema ${result.sharedTier.schema}, dropped at the end); ` +
        `embedder ${settings.embedder}, judge ${settings.judge}; simulated remote ${remote} ms`,
    ),
    '',
    chalk.bold(line(COLUMNS.map((c) => c.title))),
    ...result.variants.map((v) => line(COLUMNS.map((c) => c.value(v)))),
    '',
    `Sharing: hit rate ${signed(sharing.hitRatePoints, 1)} points, ${sharing.remoteCallsSaved} fewer remote calls; ` +
      `the shared tier adds ${signed(sharing.addedLatencyMs.p50, 2)} ms at p50 and ${signed(sharing.addedLatencyMs.p95, 2)} ms at p95 per look-up` +
      (sharing.addedHitLatencyMs ? ` (hits: ${signed(sharing.addedHitLatencyMs.p50, 2)} / ${signed(sharing.addedHitLatencyMs.p95, 2)} ms).` : '.'),
    `Shared-tier calls: ${calls(result.sharedTierCalls.lookups, 'look-ups')}; ${calls(result.sharedTierCalls.writes, 'writes')}.`,
    chalk.dim(
      "Latencies are the cache's own time per request (look-up, and on a miss the store and write-through), the simulated remote's time excluded; " +
        'coalesced requests are not hits. Shared-tier calls are timed one by one: look-ups (exact match, nearest neighbours) and writes (write-through).',
    ),
  ]
  if (result.notes.length > 0) lines.push(...result.notes.map((n) => chalk.dim(`note: ${n}`)))
  return lines.join('\n')
}
