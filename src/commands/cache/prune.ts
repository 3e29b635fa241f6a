import { BaseCommand } from '../../cli/base-command.js'
import { localBudget, PRUNE_DESCRIPTION, PRUNE_EXAMPLES, PRUNE_FLAGS, PRUNE_SUMMARY, sharedBudget, typedBudget } from '../../cli/specs/prune-spec.js'
import { resolveBudgetConfig } from '../../config/budget-config.js'
import type { PruneReport } from '../../core/eviction.js'
import { pruneCache } from '../../core/admin/prune.js'
import { pruneJson, pruneSummaryLine } from '../../report/prune-report.js'
import { pruneSharedTier } from '../../store/tiered/prune-shared-tier.js'

export default class CachePrune extends BaseCommand<typeof CachePrune> {
  static override summary = PRUNE_SUMMARY
  static override description = PRUNE_DESCRIPTION
  static override examples = PRUNE_EXAMPLES
  static override flags = PRUNE_FLAGS

  async run(): Promise<unknown> {
    const typed = typedBudget(this.flags)
    const budget = resolveBudgetConfig(typed)
    const asteria = await this.asteria()
    const { cache } = asteria
    const namespace = this.flags.namespace
    let report: PruneReport
    if (this.flags.shared) {
      const { config } = this.resolveConfig()
      const outcome = await pruneSharedTier(asteria.store, cache.clock.now(), sharedBudget(typed, budget, config, namespace))
      if (!outcome.ran) {
        this.log('Another machine is pruning the shared tier right now; nothing was done here.')
        return { shared: true, ran: false }
      }
      report = outcome.value
    } else {
      report = await pruneCache(cache, localBudget(budget, namespace), asteria.policyStores)
    }
    this.log(pruneSummaryLine(report))
    return pruneJson(report, this.flags.shared)
  }
}
