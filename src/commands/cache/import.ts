import { existsSync, readFileSync } from 'node:fs'
import { Args } from '@oclif/core'
import { BaseCommand } from '../../cli/base-command.js'
import { importElements } from '../../core/element-io.js'
import { AsteriaError } from '../../core/errors.js'

export default class CacheImport extends BaseCommand<typeof CacheImport> {
  static override summary = 'Import elements from JSON Lines; every line is checked first, nothing is written on error.'
  static override examples = ['<%= config.bin %> <%= command.id %> cache.jsonl', 'cat cache.jsonl | <%= config.bin %> <%= command.id %> -']

  static override args = { file: Args.string({ description: 'JSON Lines file written by `asteria cache export`, or - for stdin.', required: true }) }

  async run(): Promise<unknown> {
    const { file } = this.args
    if (file !== '-' && !existsSync(file)) {
      throw new AsteriaError('BAD_INPUT', `Expected a JSON Lines file, but ${file} does not exist.`)
    }
    const text = readFileSync(file === '-' ? 0 : file, 'utf8')
    const { cache } = await this.asteria()
    const imported = await importElements(cache, text)
    this.log(`Imported ${imported} element${imported === 1 ? '' : 's'} (re-embedded with ${cache.embedder.fingerprint}).`)
    return { imported }
  }
}
