import type { SessionDetail, SessionRecord } from '../core/ports/session-log.js'

/** The public --json shape of one session (`asteria run --json`, `asteria sessions ID --json`). */
export function sessionJson(detail: SessionDetail) {
  return { session: detail.session, tasks: detail.tasks, lookups: detail.lookups }
}

/** The public --json shape of `asteria sessions --json`. */
export function sessionListJson(sessions: SessionRecord[]) {
  return { sessions }
}
