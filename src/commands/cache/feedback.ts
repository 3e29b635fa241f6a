import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../cli/base-command.js'
import { resolveBudgetConfig } from '../../config/budget-config.js'
import { AsteriaError } from '../../core/errors.js'
import { recordFeedback } from '../../core/admin/feedback.js'
import { BAND_WIDTH, bandOf } from '../../core/calibration/threshold-assessment.js'

export default class CacheFeedback extends BaseCommand<typeof CacheFeedback> {
  static override summary = 'Report a served element as wrong: it is removed and counts as a verified false hit.'
  static override description =
    'The verdict is counted in the similarity band of the element\'s latest hit, so calibration raises the threshold when such reports ' +
    'show the false-hit rate above the target. The element is removed (and logged as a manual eviction).'

  static override examples = ['<%= config.bin %> <%= command.id %> 12 --wrong', '<%= config.bin %> <%= command.id %> 12 --wrong --json']

  static override args = { id: Args.string({ description: 'Id of the element that was served wrongly (in the decision record, or `asteria cache inspect`).', required: true }) }

  static override flags = {
    wrong: Flags.boolean({ description: 'The element did not answer the question it was served for.' }),
    'target-precision': Flags.string({ description: 'Target the calibration status is judged against (env ASTERIA_TARGET_PRECISION; default 0.99).' }),
  }

  async run(): Promise<unknown> {
    const id = Number(this.args.id)
    if (!Number.isInteger(id) || id < 1) throw new AsteriaError('BAD_INPUT', `Expected an element id (a positive whole number), received "${this.args.id}".`)
    if (!this.flags.wrong) {
      throw new AsteriaError('BAD_INPUT', 'Expected --wrong: feedback reports an element served for a question it does not answer.', {
        suggestions: [`asteria cache feedback ${id} --wrong`],
      })
    }
    const { targetPrecision } = resolveBudgetConfig({ targetPrecision: this.flags['target-precision'] })
    const asteria = await this.asteria()
    const { cache } = asteria
    const report = await recordFeedback(cache, id, { wrong: true }, { stores: asteria.policyStores, targetPrecision })
    const { similarity } = report.scores
    const band = similarity === null ? 'the band of the threshold in force' : `similarity band ${(bandOf(similarity) * BAND_WIDTH).toFixed(2)}-${((bandOf(similarity) + 1) * BAND_WIDTH).toFixed(2)}`
    const c = report.calibration
    this.log(
      [
        `Removed element #${id} ("${report.query}") and counted a verified false hit in ${band}.`,
        c ? `Calibration: ${c.status} (${c.wrong} wrong of ${c.verified} verified at ${c.axis === 'judge' ? 'tau_judge' : 'tau_sim'} ${c.tau}; lower bound ${c.lowerBound.toFixed(3)}, target ${c.targetPrecision}).` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    )
    return report
  }
}
