import { openEmbedder } from '../asteria.js'
import { runMachinesBench } from '../bench/machines/run-machines-bench.js'
import { runBench } from '../bench/run-bench.js'
import { loadTrace } from '../bench/workloads.js'
import { BaseCommand } from '../cli/base-command.js'
import { BENCH_DESCRIPTION, BENCH_EXAMPLES, BENCH_FLAGS, BENCH_SUMMARY, benchConfigInput, benchRunOptions, machinesRunOptions, requireSharedStore } from '../cli/specs/bench-spec.js'
import { formatBenchTable } from '../report/bench-table.js'
import { formatMachinesTable } from '../report/machines-table.js'
import { startBenchProgress } from '../report/bench-progress.js'
import { writeBenchReport } from '../report/bench-html.js'

export default class Bench extends BaseCommand<typeof Bench> {
  static override summary = BENCH_SUMMARY
  static override description = BENCH_DESCRIPTION
  static override examples = BENCH_EXAMPLES
  static override flags = BENCH_FLAGS

  async run(): Promise<unknown> {
    const { flags } = this
    if (flags.machines !== undefined) return this.runMachines(flags.machines)
    const trace = loadTrace(flags)
    const { config } = this.resolveConfig(benchConfigInput(flags))
    const embedder = await openEmbedder(config)
    const progress = await startBenchProgress(this.jsonEnabled())
    const onProgress = ({ done, total, label }: { done: number; total: number; label: string }) => progress.update(done, total, label)
    const result = await runBench({ trace, config, embedder, ...benchRunOptions(flags), onProgress }).finally(() => progress.stop())
    if (flags.report) await writeBenchReport(result, flags.report)
    this.log(formatBenchTable(result))
    if (flags.report) this.log(`\nReport: ${flags.report}`)
    return result
  }

  private async runMachines(machines: number): Promise<unknown> {
    const { config } = this.resolveConfig()
    const storeUrl = requireSharedStore(config.storeUrl, machines)
    const trace = loadTrace(this.flags)
    const progress = await startBenchProgress(this.jsonEnabled())
    const onProgress = ({ done, total, label }: { done: number; total: number; label: string }) => progress.update(done, total, label)
    const result = await runMachinesBench({ trace, config, machines, storeUrl, ...machinesRunOptions(this.flags), onProgress }).finally(() => progress.stop())
    this.log(formatMachinesTable(result))
    return result
  }
}
