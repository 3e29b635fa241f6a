import { Flags } from '@oclif/core'
import { BaseCommand } from '../../cli/base-command.js'
import { AsteriaError } from '../../core/errors.js'

export default class CacheClear extends BaseCommand<typeof CacheClear> {
  static override summary = 'Delete every cached element (of one namespace, or all).'
  static override examples = ['<%= config.bin %> <%= command.id %> --yes', '<%= config.bin %> <%= command.id %> --namespace team-a --yes']

  static override flags = {
    yes: Flags.boolean({ char: 'y', description: 'Confirm: delete without asking.' }),
  }

  async run(): Promise<unknown> {
    if (!this.flags.yes) {
      throw new AsteriaError('BAD_INPUT', 'Refusing to clear the cache without confirmation.', {
        suggestions: ['Run again with --yes to delete the elements.'],
      })
    }
    const { cache } = await this.asteria()
    const deleted = await cache.storage.clear(this.flags.namespace)
    this.log(`Deleted ${deleted} element${deleted === 1 ? '' : 's'}${this.flags.namespace ? ` of namespace ${this.flags.namespace}` : ''}.`)
    return { deleted, namespace: this.flags.namespace ?? null }
  }
}
