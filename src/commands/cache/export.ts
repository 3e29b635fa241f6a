import { writeFileSync } from 'node:fs'
import { Flags } from '@oclif/core'
import { BaseCommand } from '../../cli/base-command.js'
import { toElementLine } from '../../core/admin/element-io.js'

export default class CacheExport extends BaseCommand<typeof CacheExport> {
  static override summary = 'Write every element as JSON Lines (to a file or stdout).'
  static override description = 'With --json, stdout carries the summary ({"exported", "output"}), so the elements need --output FILE.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> --output cache.jsonl',
    '<%= config.bin %> <%= command.id %> > cache.jsonl',
    '<%= config.bin %> <%= command.id %> --output cache.jsonl --json',
  ]

  static override readsOnly = true

  static override enableJsonFlag = true

  static override flags = {
    output: Flags.string({ char: 'o', description: 'File to write (default: stdout).' }),
  }

  async run(): Promise<unknown> {
    if (this.jsonEnabled() && !this.flags.output) {
      // Both the summary and the elements would need stdout; a backup must never come out empty.
      this.fail('BAD_INPUT', 'Expected --output FILE with --json (stdout carries the JSON summary), received no --output.', [
        'asteria cache export --output backup.jsonl --json',
        'Or, without --json, the elements go to stdout: asteria cache export > backup.jsonl',
      ])
    }
    const { store } = await this.asteria()
    const elements = await store.all(this.flags.namespace)
    const text = elements.map((e) => JSON.stringify(toElementLine(e))).join('\n') + (elements.length ? '\n' : '')
    if (this.flags.output) {
      writeFileSync(this.flags.output, text, { mode: 0o600 })
      this.logToStderr(`Exported ${elements.length} element${elements.length === 1 ? '' : 's'} to ${this.flags.output}.`)
    } else {
      process.stdout.write(text)
    }
    return { exported: elements.length, output: this.flags.output ?? null }
  }
}
