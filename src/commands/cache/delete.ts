import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../cli/base-command.js'
import { requireElement } from '../../core/admin/elements.js'
import { AsteriaError } from '../../core/errors.js'

export default class CacheDelete extends BaseCommand<typeof CacheDelete> {
  static override summary = 'Invalidate one element by id, or what is stored for a question.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> 12',
    '<%= config.bin %> <%= command.id %> --query "population of France in 2020"',
  ]

  static override args = { id: Args.string({ description: 'Element id.' }) }
  static override flags = {
    query: Flags.string({ description: 'Delete what is stored for exactly this question (after normalisation).' }),
    tool: Flags.string({ description: 'Tool of the question given with --query.', default: 'search' }),
  }

  async run(): Promise<unknown> {
    const { cache } = await this.asteria()
    if ((this.args.id === undefined) === (this.flags.query === undefined)) {
      throw new AsteriaError('BAD_INPUT', 'Expected either an element id or --query TEXT, received ' + (this.args.id ? 'both.' : 'neither.'), {
        suggestions: ['asteria cache delete 12', 'asteria cache delete --query "who wrote hamlet"'],
      })
    }
    if (this.args.id !== undefined) {
      const id = Number(this.args.id)
      if (!Number.isInteger(id) || id < 1) throw new AsteriaError('BAD_INPUT', `Expected an element id (a positive whole number), received "${this.args.id}".`)
      await requireElement(cache, id)
      const deleted = await cache.delete([id])
      this.log(`Deleted element #${id}.`)
      return { deleted, ids: [id] }
    }
    const request = { tool: this.flags.tool, namespace: this.flags.namespace }
    const deleted = await cache.invalidate(this.flags.query!, request)
    if (deleted === 0) {
      const { tool, source } = cache.scope(request)
      throw new AsteriaError('NOT_FOUND', `Nothing is stored for "${this.flags.query}" (tool ${tool}, source ${source}).`, {
        suggestions: ['An answer fetched from another source is kept apart: find it with `asteria cache inspect --search TEXT` and delete it by id.'],
      })
    }
    this.log(`Deleted ${deleted} element${deleted === 1 ? '' : 's'} stored for "${this.flags.query}".`)
    return { deleted }
  }
}
