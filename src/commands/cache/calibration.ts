import { Flags } from '@oclif/core'
import { BaseCommand } from '../../cli/base-command.js'
import { resolveBudgetConfig } from '../../config/budget-config.js'
import { cacheStats, resetCalibration } from '../../core/admin/stats.js'
import { formatCalibration } from '../../report/calibration-view.js'

export default class CacheCalibration extends BaseCommand<typeof CacheCalibration> {
  static override summary = 'Self-calibration: the thresholds in force, the evidence behind them and every change; --reset forgets it all.'
  static override description =
    'A share of semantic hits (verifyShare) is checked against the source. The threshold moves only on evidence: never before the ' +
    'fewest verified hits at which one wrong check still leaves the target inside the 95% Wilson interval (18 for 0.99), then up ' +
    'when the hits at or above it are evidently below target, down when they certify it. --reset returns the thresholds to their ' +
    'configured or default values (so does `asteria cache clear --yes`).'

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --reset', '<%= config.bin %> <%= command.id %> --json']

  static override flags = {
    reset: Flags.boolean({ description: 'Forget verified hits, calibrated thresholds and their history.' }),
    'target-precision': Flags.string({ description: 'Precision the calibration status is judged against (env ASTERIA_TARGET_PRECISION; default 0.99).' }),
  }

  async run(): Promise<unknown> {
    const { targetPrecision } = resolveBudgetConfig({ targetPrecision: this.flags['target-precision'] })
    const asteria = await this.asteria()
    const reset = this.flags.reset ? await resetCalibration(asteria.cache, asteria.policyStores) : null
    const stats = await cacheStats(asteria.cache, undefined, { stores: asteria.policyStores, targetPrecision })
    const history = await asteria.policyStores.calibration.history(asteria.cache.embedder.fingerprint, asteria.cache.policy.name, 20)
    const result = { reset, thresholds: stats.thresholds, policy: stats.policy, embedder: stats.embedder, calibration: stats.calibration, history }
    this.log(formatCalibration(result))
    return result
  }
}
