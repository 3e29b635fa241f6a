import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BaseCommand } from '../cli/base-command.js'
import { chalk } from '../cli/color.js'
import { resolveConfig } from '../config/config.js'
import { isAsteriaError } from '../core/errors.js'
import { runDoctor, type CheckStatus, type DoctorReport } from '../health/doctor.js'

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

  /** Runs the checks; a configuration error becomes a failed check instead of stopping the diagnosis. */
  private async diagnose(): Promise<DoctorReport> {
    try {
      return await runDoctor(this.resolveConfig())
    } catch (error) {
      if (!isAsteriaError(error) || error.code !== 'CONFIG') throw error
      const nowhere = join(tmpdir(), 'asteria-doctor-defaults')
      return runDoctor(resolveConfig({}, { ASTERIA_CONFIG_DIR: nowhere }, nowhere), error)
    }
  }
}
