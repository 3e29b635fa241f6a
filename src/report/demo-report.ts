import { chalk } from './color.js'
import type { DemoOutcome } from '../demo/run-demo.js'
import { formatDecision } from './decision-view.js'
import { fetchJson } from './fetch-json.js'

/** One demo step as printed: the question, its decision record, and whether it went as a correct cache should. */
export function demoStepLines(outcome: DemoOutcome, index: number): string[] {
  const mark = outcome.asExpected ? chalk.green('✔') : chalk.red('✖')
  // A missed paraphrase is the safe failure: it costs one remote call, never a wrong answer.
  const why = outcome.asExpected || outcome.step.expect !== 'hit' ? '' : chalk.dim(' (a safe failure: one more remote call, no wrong answer; the built-in embedder scores some paraphrases below tau_sim, --embedder ollama catches more)')
  return [
    `${chalk.bold(`${index + 1}. "${outcome.step.query}"`)}  ${chalk.dim(outcome.step.note)}`,
    formatDecision(outcome.result).map((l) => '   ' + l).join('\n'),
    `   ${mark} expected a ${outcome.step.expect}${why}\n`,
  ]
}

/** What the demo's questions came to: hits by kind, how many went as expected, remote calls and cost. */
export function demoSummary(outcomes: readonly DemoOutcome[]) {
  const hits = outcomes.filter((o) => o.result.decision.hit)
  return {
    questions: outcomes.length,
    hits: hits.length,
    semanticHits: hits.filter((o) => o.result.decision.kind === 'semantic').length,
    exactHits: hits.filter((o) => o.result.decision.kind === 'exact').length,
    asExpected: outcomes.filter((o) => o.asExpected).length,
    remoteCalls: outcomes.filter((o) => o.result.source === 'remote').length,
    costSpentUsd: outcomes.reduce((s, o) => s + o.result.costUsd, 0),
    costSavedUsd: hits.reduce((s, o) => s + (o.result.element?.costUsd ?? 0), 0),
  }
}

export function demoSummaryLine(summary: ReturnType<typeof demoSummary>): string {
  return (
    chalk.bold(`${summary.hits} of ${summary.questions} served from the cache (${summary.semanticHits} by meaning, ${summary.exactHits} exact); `) +
    `${summary.asExpected}/${summary.questions} as a correct cache should; ${summary.remoteCalls} remote calls; saved $${summary.costSavedUsd.toFixed(4)}.`
  )
}

/** `asteria demo --json`: the summary and each step with its decision record. */
export function demoJson(outcomes: readonly DemoOutcome[], now: number) {
  return {
    summary: demoSummary(outcomes),
    steps: outcomes.map((o) => ({ expect: o.step.expect, note: o.step.note, asExpected: o.asExpected, ...fetchJson(o.step.query, o.result, now) })),
  }
}
