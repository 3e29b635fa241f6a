import type { Readable } from 'node:stream'
import type { FetchResult } from '../core/cache/requests.js'
import { formatDecision } from '../report/decision-view.js'
import { fetchJson } from '../report/fetch-json.js'
import { askLines } from './ask-lines.js'

export interface LinesView {
  /** One JSON object per line on stdout, as each answer arrives. */
  jsonl: boolean
  log: (text: string) => void
  notice: (text: string) => void
}

/**
 * `asteria query -`: answers every line in turn, printing each decision (or its JSON line), and
 * reports each refused line with its number on stderr (and in the JSON Lines stream).
 */
export async function answerLines(input: Readable, ask: (query: string) => Promise<FetchResult>, now: () => number, view: LinesView) {
  const answers = []
  const refused = []
  for await (const outcome of askLines(input, ask)) {
    if ('refused' in outcome) {
      const entry = { line: outcome.line, error: outcome.refused.toJSON() }
      view.notice(`Line ${outcome.line}: ${outcome.refused.message}`)
      if (view.jsonl) process.stdout.write(JSON.stringify(entry) + '\n')
      refused.push(entry)
      continue
    }
    const json = { line: outcome.line, ...fetchJson(outcome.query, outcome.result, now()) }
    if (view.jsonl) process.stdout.write(JSON.stringify(json) + '\n')
    else view.log([`> ${outcome.query}`, ...formatDecision(outcome.result), ''].join('\n'))
    answers.push(json)
  }
  if (refused.length > 0) {
    // Every good line was answered; the exit code still tells a script that some were not.
    view.notice(`Answered ${answers.length} line${answers.length === 1 ? '' : 's'}; refused ${refused.length} (line ${refused.map((r) => r.line).join(', ')}).`)
  }
  return { answers, refused }
}
