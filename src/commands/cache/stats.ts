import { BaseCommand } from '../../cli/base-command.js'
import { chalk } from '../../cli/color.js'
import { cacheStats } from '../../core/cache-admin.js'

export default class CacheStats extends BaseCommand<typeof CacheStats> {
  static override summary = 'Hit rate, savings and contents of the cache.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --namespace team-a --json']

  async run(): Promise<unknown> {
    const { cache } = await this.asteria()
    const s = await cacheStats(cache, this.flags.namespace)
    const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`)
    this.log(
      [
        chalk.bold(`Cache ${s.location}${s.namespace ? ` (namespace ${s.namespace})` : ''}`),
        `  elements    ${s.summary.elements} (${s.summary.expired} expired), ${s.summary.bytes} bytes`,
        `  requests    ${s.requests}: ${s.hits.exact} exact hits, ${s.hits.semantic} semantic hits, ${s.misses} misses, ${s.coalesced} coalesced`,
        `  hit rate    ${pct(s.hitRate)}`,
        `  remote      ${s.remoteCalls} calls, $${s.costSpentUsd.toFixed(4)} spent; saved $${s.costSavedUsd.toFixed(4)} and ${(s.latencySavedMs / 1000).toFixed(1)} s`,
        `  policy      ${s.policy}, tau_sim ${s.thresholds.tauSim}, embedder ${s.embedder}`,
      ].join('\n'),
    )
    return s
  }
}
