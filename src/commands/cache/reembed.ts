import { BaseCommand } from '../../cli/base-command.js'
import { startProgress } from '../../cli/spinner.js'
import { reembedElements } from '../../core/admin/reembed.js'

export default class CacheReembed extends BaseCommand<typeof CacheReembed> {
  static override summary = 'Re-embed elements stored by another embedder, so the current one can serve them.'
  static override description =
    'Vectors of different embedders are never compared: after changing --embedder (or a model update changes its fingerprint), ' +
    'old elements cannot hit until they are re-embedded. Results and expiry are kept.'

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --embedder ollama --embedder-model nomic-embed-text --json']

  async run(): Promise<unknown> {
    const { cache } = await this.asteria()
    const progress = await startProgress('Re-embedding…', this.jsonEnabled())
    const report = await reembedElements(cache).finally(() => progress.stop())
    const total = Object.values(report.moved).reduce((a, b) => a + b, 0)
    this.log(
      total === 0
        ? `Every element is already embedded by ${report.embedder}.`
        : `Re-embedded ${total} element${total === 1 ? '' : 's'} with ${report.embedder} (${Object.entries(report.moved).map(([from, n]) => `${n} from ${from}`).join(', ')}).`,
    )
    return { ...report, total }
  }
}
