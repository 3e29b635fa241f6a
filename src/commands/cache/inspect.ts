import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../cli/base-command.js'
import { inspectElement, listElements } from '../../core/admin/elements.js'
import { AsteriaError } from '../../core/errors.js'
import { elementJson } from '../../report/fetch-json.js'
import { formatElementDetail, formatElementTable } from '../../report/element-table.js'

export default class CacheInspect extends BaseCommand<typeof CacheInspect> {
  static override summary = 'List cached elements, or show one in detail with its nearest neighbours.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --search france --sort hits --limit 5',
    '<%= config.bin %> <%= command.id %> 12',
    '<%= config.bin %> <%= command.id %> --expired --json',
  ]

  static override readsOnly = true

  static override args = { id: Args.string({ description: 'Element id to show in detail.' }) }

  static override flags = {
    search: Flags.string({ description: 'Only elements whose query contains this text.' }),
    tool: Flags.string({ description: 'Only elements of this tool.' }),
    expired: Flags.boolean({ description: 'Only expired elements.' }),
    sort: Flags.string({ description: 'Order of the list.', options: ['hits', 'cost', 'recent'], default: 'recent' }),
    limit: Flags.integer({ description: 'At most this many elements.', default: 50, min: 1 }),
  }

  async run(): Promise<unknown> {
    const { cache } = await this.asteria()
    const now = cache.clock.now()
    if (this.args.id !== undefined) {
      const id = Number(this.args.id)
      if (!Number.isInteger(id) || id < 1) {
        throw new AsteriaError('BAD_INPUT', `Expected an element id (a positive whole number), received "${this.args.id}".`)
      }
      const detail = await inspectElement(cache, id)
      this.log(formatElementDetail(detail, now))
      return {
        element: elementJson(detail.element, now),
        neighbours: detail.neighbours.map((n) => ({ id: n.element.id, query: n.element.query, similarity: n.similarity })),
      }
    }
    const elements = await listElements(cache, {
      namespace: this.flags.namespace,
      search: this.flags.search,
      tool: this.flags.tool,
      expired: this.flags.expired ? true : undefined,
      sort: this.flags.sort as 'hits' | 'cost' | 'recent',
      limit: this.flags.limit,
    })
    this.log(formatElementTable(elements, now))
    return { elements: elements.map((e) => elementJson(e, now)) }
  }
}
