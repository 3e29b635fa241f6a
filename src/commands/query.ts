import { Args, Flags } from '@oclif/core'
import { askLines } from '../cli/ask-lines.js'
import { BaseCommand } from '../cli/base-command.js'
import { parseDuration, parseLatency } from '../cli/durations.js'
import { startProgress } from '../cli/spinner.js'
import { EXIT_CODES } from '../core/errors.js'
import { KNOWLEDGE_TOOLS } from '../core/knowledge-tools.js'
import type { FetchOptions } from '../core/cache/requests.js'
import { formatDecision, formatResult } from '../report/decision-view.js'
import { fetchJson } from '../report/fetch-json.js'

export default class Query extends BaseCommand<typeof Query> {
  static override summary = 'Look one question up through the cache (a miss asks the knowledge source).'
  static override description =
    'Prints the result and the decision record: hit or miss, the nearest stored question, its similarity, and what the guard said. ' +
    'Pass - to read one question per line from standard input: every line is answered in turn, and a line refused as bad ' +
    'input (oversized, or without a word) is reported with its line number on stderr (and in the --jsonl stream) while the ' +
    'others go on; the exit code is then 2.'

  static override examples = [
    '<%= config.bin %> <%= command.id %> "who wrote the declaration of independence"',
    '<%= config.bin %> <%= command.id %> "who was the author of the declaration of independence" --json',
    '<%= config.bin %> <%= command.id %> "population of France in 2021" --latency 0',
    'printf "what is dna\\nwhat is DNA?\\n" | <%= config.bin %> <%= command.id %> - --jsonl',
  ]

  static override args = {
    query: Args.string({ description: 'The question, or - to read questions from stdin, one per line.', required: true }),
  }

  static override flags = {
    tool: Flags.string({ description: 'Tool (knowledge source) the question is for; part of the scope.', options: [...KNOWLEDGE_TOOLS], default: 'search' }),
    latency: Flags.string({ description: 'Simulated source latency in ms: 0, 400 or 300-500 (default 300-500).' }),
    'no-cache': Flags.boolean({ description: 'Bypass the cache: ask the source, store nothing.' }),
    refresh: Flags.boolean({ description: 'Ask the source and replace the stored element for this question.' }),
    'max-age': Flags.string({ description: 'Serve only elements younger than this (90s, 10m, 2h, 7d).' }),
    'max-bytes': Flags.string({ description: 'Keep at most this many bytes of results: 500000, 64KB, 10MB (env ASTERIA_MAX_BYTES).' }),
    'max-entries': Flags.string({ description: 'Keep at most this many elements (env ASTERIA_MAX_ENTRIES).' }),
    jsonl: Flags.boolean({ description: 'One JSON object per line (with -, one per question as each answer arrives).' }),
  }

  async run(): Promise<unknown> {
    const { flags } = this
    const asteria = await this.asteria({
      ...(flags.latency === undefined ? {} : { latencyMs: parseLatency(flags.latency) }),
      ...(flags['max-bytes'] === undefined ? {} : { maxBytes: flags['max-bytes'] as unknown as number }),
      ...(flags['max-entries'] === undefined ? {} : { maxEntries: flags['max-entries'] as unknown as number }),
    })
    const options: FetchOptions = {
      tool: flags.tool,
      noCache: flags['no-cache'],
      refresh: flags.refresh,
      maxAgeMs: flags['max-age'] === undefined ? undefined : parseDuration(flags['max-age'], '--max-age'),
    }
    const now = () => asteria.cache.clock.now()

    if (this.args.query !== '-') {
      const progress = await startProgress('Looking up…', this.jsonEnabled() || flags.jsonl)
      const result = await asteria.ask(this.args.query, options).finally(() => progress.stop())
      const json = fetchJson(this.args.query, result, now())
      if (flags.jsonl) process.stdout.write(JSON.stringify(json) + '\n')
      else this.log([...formatDecision(result), '', ...formatResult(result.result)].join('\n'))
      return flags.jsonl ? undefined : json
    }

    const answers = []
    const refused = []
    for await (const outcome of askLines(process.stdin, (query) => asteria.ask(query, options))) {
      if ('refused' in outcome) {
        const entry = { line: outcome.line, error: outcome.refused.toJSON() }
        this.notice(`Line ${outcome.line}: ${outcome.refused.message}`)
        if (flags.jsonl) process.stdout.write(JSON.stringify(entry) + '\n')
        refused.push(entry)
        continue
      }
      const json = { line: outcome.line, ...fetchJson(outcome.query, outcome.result, now()) }
      if (flags.jsonl) process.stdout.write(JSON.stringify(json) + '\n')
      else this.log([`> ${outcome.query}`, ...formatDecision(outcome.result), ''].join('\n'))
      answers.push(json)
    }
    if (refused.length > 0) {
      // Every good line was answered; the exit code still tells a script that some were not.
      process.exitCode = EXIT_CODES.BAD_INPUT
      this.notice(`Answered ${answers.length} line${answers.length === 1 ? '' : 's'}; refused ${refused.length} (line ${refused.map((r) => r.line).join(', ')}).`)
    }
    return flags.jsonl ? undefined : { answers, refused }
  }
}
