import { existsSync, readFileSync } from 'node:fs'
import { Args } from '@oclif/core'
import { BaseCommand } from '../../cli/base-command.js'
import { importElements } from '../../core/admin/element-io.js'
import { AsteriaError } from '../../core/errors.js'

export default class CacheImport extends BaseCommand<typeof CacheImport> {
  static override summary = 'Import elements from JSON Lines; every line is checked first, nothing is written on error.'
  static override examples = ['<%= config.bin %> <%= command.id %> cache.jsonl', 'cat cache.jsonl | <%= config.bin %> <%= command.id %> -']

  static override args = { file: Args.string({ description: 'JSON Lines file written by `asteria cache export`, or - for stdin.', required: true }) }

  async run(): Promise<unknown> {
    const { file } = this.args
    if (file !== '-' && !existsSync(file)) {
      throw new AsteriaError('IMPORT', `Expected a JSON Lines file to import, but ${file} does not exist. Nothing was imported.`, {
        suggestions: ['Pass the file `asteria cache export -o FILE` wrote, or - to read standard input.'],
      })
    }
    const text = readInput(file)
    const { cache } = await this.asteria()
    const report = await importElements(cache, text)
    const skipped = report.skipped > 0 ? `; skipped ${report.skipped} already answered in the same scope` : ''
    this.log(`Imported ${report.imported} element${report.imported === 1 ? '' : 's'} (re-embedded with ${cache.embedder.fingerprint})${skipped}.`)
    return report
  }
}

function readInput(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' || code === 'EPERM' ? 'it may not be read (permission denied)' : (error as Error).message
    throw new AsteriaError('IMPORT', `Expected a JSON Lines file to import, but ${file} cannot be read: ${why}. Nothing was imported.`, {
      suggestions: ['Pass the file `asteria cache export -o FILE` wrote, or - to read standard input.'],
    })
  }
}
