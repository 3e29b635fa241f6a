import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BaseCommand } from '../cli/base-command.js'
import { parseLatency } from '../cli/durations.js'
import { startProgress } from '../cli/spinner.js'
import { DEMO_DESCRIPTION, DEMO_EXAMPLES, DEMO_FLAGS, DEMO_SUMMARY } from '../cli/specs/demo-spec.js'
import type { Asteria } from '../asteria.js'
import { runDemo } from '../demo/run-demo.js'
import { demoJson, demoStepLines, demoSummary, demoSummaryLine } from '../report/demo-report.js'

export default class Demo extends BaseCommand<typeof Demo> {
  static override summary = DEMO_SUMMARY
  static override description = DEMO_DESCRIPTION
  static override examples = DEMO_EXAMPLES
  static override flags = DEMO_FLAGS

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
        for (const line of demoStepLines(outcome, index)) this.log(line)
      })
      this.log(demoSummaryLine(demoSummary(outcomes)))
      return demoJson(outcomes, asteria.cache.clock.now())
    } finally {
      await asteria?.close()
      if (temp) rmSync(temp, { recursive: true, force: true })
    }
  }
}
