import { BaseCommand } from '../cli/base-command.js'
import { runEnding, runWithProgress } from '../cli/run-progress.js'
import { RUN_ARGS, RUN_DESCRIPTION, RUN_EXAMPLES, RUN_FLAGS, RUN_SUMMARY, runConfigInput, selectTasks } from '../cli/specs/run-spec.js'
import { formatRunSummary } from '../report/session-report.js'
import { sessionJson } from '../report/session-json.js'

export default class Run extends BaseCommand<typeof Run> {
  static override summary = RUN_SUMMARY
  static override description = RUN_DESCRIPTION
  static override examples = RUN_EXAMPLES
  static override args = RUN_ARGS
  static override flags = RUN_FLAGS

  async run(): Promise<unknown> {
    const { flags } = this
    const { name, tasks } = selectTasks(this.args.question, flags)
    const typed = runConfigInput(flags)
    const asteria = await this.asteria(typed)
    const sources = this.resolveConfig(typed).config
    const detail = await runWithProgress({ asteria, sources, tasks, taskSet: name, concurrency: flags.concurrency, json: this.jsonEnabled() })
    this.log(formatRunSummary(detail))
    const ending = runEnding(detail, tasks.length)
    if (ending.exitCode !== undefined) process.exitCode = ending.exitCode
    if (ending.message) this.notice(ending.message)
    return sessionJson(detail)
  }
}
