import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Flags } from '@oclif/core'
import { BaseCommand } from '../cli/base-command.js'
import { chalk } from '../report/color.js'
import { parseLatency } from '../cli/durations.js'
import { startProgress } from '../cli/spinner.js'
import type { Asteria } from '../asteria.js'
import { runDemo } from '../demo/run-demo.js'
import { formatDecision } from '../report/decision-view.js'
import { fetchJson } from '../report/fetch-json.js'

export default class Demo extends BaseCommand<typeof Demo> {
  static override summary = 'Put built-in questions and paraphrases through a fresh cache and show hits, misses and why.'
  static override description =
    'Runs offline on the built-in embedder, guard and local Wikipedia corpus (with a simulated 300–500 ms remote source). ' +
    'Uses a temporary cache unless --db is given.'

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --latency 0 --json']

  static override flags = {
    latency: Flags.string({ description: 'Simulated source latency in ms: 0, 400 or 300-500.' }),
  }

  async run(): Promise<unknown> {
    const temp = this.flags.db ? undefined : mkdtempSync(join(tmpdir(), 'asteria-demo-'))
    let asteria: Asteria | undefined
    try {
      asteria = await this.asteria({
        ...(temp ? { db: join(temp, 'demo.sqlite') } : {}),
        ...(this.flags.latency === undefined ? {} : { latencyMs: parseLatency(this.flags.latency) }),
      })
      const progress = await startProgress('Preparing the local corpus…', this.jsonEnabled())
      const outcomes = await runDemo(asteria, (outcome, index) => {
        progress.stop()
        const mark = outcome.asExpected ? chalk.green('✔') : chalk.red('✖')
        this.log(`${chalk.bold(`${index + 1}. "${outcome.step.query}"`)}  ${chalk.dim(outcome.step.note)}`)
        this.log(formatDecision(outcome.result).map((l) => '   ' + l).join('\n'))
        // A missed paraphrase is the safe failure: it costs one remote call, never a wrong answer.
        const why = outcome.asExpected || outcome.step.expect !== 'hit' ? '' : chalk.dim(' (a safe failure: one more remote call, no wrong answer; the built-in embedder scores some paraphrases below tau_sim, --embedder ollama catches more)')
        this.log(`   ${mark} expected a ${outcome.step.expect}${why}\n`)
      })
      const hits = outcomes.filter((o) => o.result.decision.hit)
      const summary = {
        questions: outcomes.length,
        hits: hits.length,
        semanticHits: hits.filter((o) => o.result.decision.kind === 'semantic').length,
        exactHits: hits.filter((o) => o.result.decision.kind === 'exact').length,
        asExpected: outcomes.filter((o) => o.asExpected).length,
        remoteCalls: outcomes.filter((o) => o.result.source === 'remote').length,
        costSpentUsd: outcomes.reduce((s, o) => s + o.result.costUsd, 0),
        costSavedUsd: hits.reduce((s, o) => s + (o.result.element?.costUsd ?? 0), 0),
      }
      this.log(
        chalk.bold(`${summary.hits} of ${summary.questions} served from the cache (${summary.semanticHits} by meaning, ${summary.exactHits} exact); `) +
          `${summary.asExpected}/${summary.questions} as a correct cache should; ${summary.remoteCalls} remote calls; saved $${summary.costSavedUsd.toFixed(4)}.`,
      )
      const now = asteria.cache.clock.now()
      return { summary, steps: outcomes.map((o) => ({ expect: o.step.expect, note: o.step.note, asExpected: o.asExpected, ...fetchJson(o.step.query, o.result, now) })) }
    } finally {
      await asteria?.close()
      if (temp) rmSync(temp, { recursive: true, force: true })
    }
  }
}
