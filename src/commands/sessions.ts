import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../cli/base-command.js'
import { listSessions, showSession } from '../agents/session-history.js'
import { openSessionLog } from '../store/session-store.js'
import { formatSessionList } from '../report/session-list.js'
import { formatSessionDetail } from '../report/session-lookups.js'
import { sessionJson, sessionListJson } from '../report/session-json.js'

export default class Sessions extends BaseCommand<typeof Sessions> {
  static override summary = 'List recorded `asteria run` sessions, or show one with its look-ups and their decision records.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> 3',
    '<%= config.bin %> <%= command.id %> 3 --json',
    '<%= config.bin %> <%= command.id %> --limit 5 --namespace team-a --json',
  ]

  static override readsOnly = true

  static override args = {
    id: Args.integer({ description: 'A session id (from `asteria sessions`).', min: 1 }),
  }

  static override flags = {
    limit: Flags.integer({ description: 'Show at most N sessions (newest first).', min: 1 }),
  }

  async run(): Promise<unknown> {
    const { store } = await this.asteria()
    const log = openSessionLog(store)
    if (this.args.id !== undefined) {
      const detail = await showSession(log, this.args.id)
      this.log(formatSessionDetail(detail))
      return sessionJson(detail)
    }
    const sessions = await listSessions(log, { namespace: this.flags.namespace, limit: this.flags.limit })
    this.log(formatSessionList(sessions))
    return sessionListJson(sessions)
  }
}
