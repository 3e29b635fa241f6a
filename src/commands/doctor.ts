import { BaseCommand } from '../cli/base-command.js'
import { chalk } from '../report/color.js'
import type { AsteriaError } from '../core/errors.js'
import { runDoctor, type CheckStatus, type DoctorReport } from '../doctor/run-doctor.js'

const MARK: Record<CheckStatus, string> = { ok: '✔ real', embedded: '● built-in', warn: '! warning', error: '✖ error' }

export default class Doctor extends BaseCommand<typeof Doctor> {
  static override summary = 'Show which parts are real and which are built-in defaults, and how to get the rest.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run(): Promise<unknown> {
    const report = await this.diagnose()
    const color = (status: CheckStatus) => (status === 'error' ? chalk.red : status === 'warn' ? chalk.yellow : status === 'ok' ? chalk.green : chalk.cyan)
    for (const check of report.checks) {
      this.log(`${color(check.status)(MARK[check.status].padEnd(11))} ${chalk.bold(check.part.padEnd(9))} ${check.detail}`)
      if (check.fix) this.log(`${' '.repeat(21)}${chalk.dim('fix: ' + check.fix)}`)
    }
    this.log(chalk.dim(`config files: ${report.configFiles.join(', ') || 'none'}`))
    if (!report.ok) process.exitCode = 1
    return report
  }

  /** Runs the checks; a bad setting becomes a failed check, and the rest run with every other setting as given. */
  private async diagnose(): Promise<DoctorReport> {
    const invalid: AsteriaError[] = []
    const resolved = this.resolveConfig({}, (error) => invalid.push(error))
    return runDoctor(resolved, invalid)
  }
}
