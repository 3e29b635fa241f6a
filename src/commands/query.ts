import { BaseCommand } from '../cli/base-command.js'
import { answerLines } from '../cli/query-lines.js'
import { startProgress } from '../cli/spinner.js'
import { QUERY_ARGS, QUERY_DESCRIPTION, QUERY_EXAMPLES, QUERY_FLAGS, QUERY_SUMMARY, queryConfigInput, queryFetchOptions } from '../cli/specs/query-spec.js'
import { EXIT_CODES } from '../core/errors.js'
import { formatDecision, formatResult } from '../report/decision-view.js'
import { fetchJson } from '../report/fetch-json.js'

export default class Query extends BaseCommand<typeof Query> {
  static override summary = QUERY_SUMMARY
  static override description = QUERY_DESCRIPTION
  static override examples = QUERY_EXAMPLES
  static override args = QUERY_ARGS
  static override flags = QUERY_FLAGS

  async run(): Promise<unknown> {
    const { flags } = this
    const asteria = await this.asteria(queryConfigInput(flags))
    const options = queryFetchOptions(flags)
    const now = () => asteria.cache.clock.now()

    if (this.args.query !== '-') {
      const progress = await startProgress('Looking up…', this.jsonEnabled() || flags.jsonl)
      const result = await asteria.ask(this.args.query, options).finally(() => progress.stop())
      const json = fetchJson(this.args.query, result, now())
      if (flags.jsonl) process.stdout.write(JSON.stringify(json) + '\n')
      else this.log([...formatDecision(result), '', ...formatResult(result.result)].join('\n'))
      return flags.jsonl ? undefined : json
    }

    const view = { jsonl: flags.jsonl, log: (text: string) => this.log(text), notice: (text: string) => this.notice(text) }
    const { answers, refused } = await answerLines(process.stdin, (query) => asteria.ask(query, options), now, view)
    if (refused.length > 0) process.exitCode = EXIT_CODES.BAD_INPUT
    return flags.jsonl ? undefined : { answers, refused }
  }
}
