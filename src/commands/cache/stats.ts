import { Flags } from '@oclif/core'
import { BaseCommand } from '../../cli/base-command.js'
import { chalk } from '../../report/color.js'
import { resolveBudgetConfig } from '../../config/budget-config.js'
import { cacheStats, type CacheStats as Stats } from '../../core/admin/stats.js'
import { EVICTION_REASONS } from '../../core/eviction.js'
import { calibrationLine } from '../../report/calibration-view.js'

export default class CacheStats extends BaseCommand<typeof CacheStats> {
  static override summary = 'Hit rate, savings and contents of the cache.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --namespace team-a --json',
    '<%= config.bin %> <%= command.id %> --target-precision 0.995',
  ]

  static override readsOnly = true

  static override flags = {
    'target-precision': Flags.string({ description: 'Precision the calibration status is judged against (env ASTERIA_TARGET_PRECISION; default 0.99).' }),
  }

  async run(): Promise<unknown> {
    const { targetPrecision } = resolveBudgetConfig({ targetPrecision: this.flags['target-precision'] })
    const asteria = await this.asteria()
    const { cache } = asteria
    const s = await cacheStats(cache, this.flags.namespace, { stores: asteria.policyStores, targetPrecision })
    const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`)
    this.log(
      [
        chalk.bold(`Cache ${s.location}${s.namespace ? ` (namespace ${s.namespace})` : ''}`),
        `  elements    ${s.summary.elements} (${s.summary.expired} expired), ${s.summary.bytes} bytes`,
        `  requests    ${s.requests}: ${s.hits.exact} exact hits, ${s.hits.semantic} semantic hits, ${s.misses} misses, ${s.coalesced} coalesced`,
        `  hit rate    ${pct(s.hitRate)}`,
        `  remote      ${s.remoteCalls} calls, $${s.costSpentUsd.toFixed(4)} spent; saved $${s.costSavedUsd.toFixed(4)} and ${(s.latencySavedMs / 1000).toFixed(1)} s`,
        `  policy      ${s.policy}, tau_sim ${s.thresholds.tauSim}, embedder ${s.embedder}`,
        ...policyLines(s),
      ].join('\n'),
    )
    return s
  }
}

function policyLines(s: Stats): string[] {
  const reasons = EVICTION_REASONS.filter((r) => s.evictions[r] > 0).map((r) => `${s.evictions[r]} ${r}`)
  const p = s.prefetch
  const lines = [
    `  evictions   ${s.evictions.total}${reasons.length ? ` (${reasons.join(', ')})` : ''}`,
    `  prefetch    ${p.prefetches} calls, $${p.costUsd.toFixed(4)}; ${p.used} used${p.precision === null ? '' : ` (precision ${(p.precision * 100).toFixed(1)}%)`}, ${p.hits} hits served`,
    `  verified    ${s.verification.verified} hits (${s.verification.wrong} wrong); ${s.verification.calls} verification calls, $${s.verification.costUsd.toFixed(4)}`,
  ]
  const c = s.calibration
  if (c) {
    const needs = c.status === 'not yet certified' ? ` (certifying ${c.targetPrecision} takes at least ${c.needed} verified hits, all right)` : ''
    lines.push(`  calibration ${calibrationLine(c)}${needs}`)
    if (c.lastChange) lines.push(`  last change ${c.lastChange.reason}, ${new Date(c.lastChange.changedAt).toISOString()}`)
  }
  return lines
}
