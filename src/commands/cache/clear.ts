import { Flags } from '@oclif/core'
import { BaseCommand } from '../../cli/base-command.js'
import { resetCalibration } from '../../core/admin/stats.js'
import { AsteriaError } from '../../core/errors.js'

export default class CacheClear extends BaseCommand<typeof CacheClear> {
  static override summary = 'Delete every cached element (of one namespace, or all); clearing all also resets self-calibration.'
  static override examples = ['<%= config.bin %> <%= command.id %> --yes', '<%= config.bin %> <%= command.id %> --namespace team-a --yes']

  static override flags = {
    yes: Flags.boolean({ char: 'y', description: 'Confirm: delete without asking.' }),
  }

  async run(): Promise<unknown> {
    if (!this.flags.yes) {
      throw new AsteriaError('BAD_INPUT', 'Refusing to clear the cache without confirmation.', {
        suggestions: ['Run again with --yes to delete the elements.'],
      })
    }
    const asteria = await this.asteria()
    const deleted = await asteria.store.clear(this.flags.namespace)
    // Thresholds are calibrated for every namespace at once: only a full clear starts them afresh.
    const calibration = this.flags.namespace ? null : await resetCalibration(asteria.cache, asteria.policyStores)
    this.log(`Deleted ${deleted} element${deleted === 1 ? '' : 's'}${this.flags.namespace ? ` of namespace ${this.flags.namespace}` : ''}.`)
    if (calibration) this.log(`Calibration reset: tau_sim ${calibration.thresholds.tauSim} (${calibration.changes} threshold change${calibration.changes === 1 ? '' : 's'} undone).`)
    return { deleted, namespace: this.flags.namespace ?? null, calibration }
  }
}
