import { AsteriaError } from '../core/errors.js'
import type { SessionDetail, SessionListOptions, SessionLog, SessionRecord } from '../core/ports/session-log.js'
import { summarizeSession } from './session-summary.js'

/** Recorded sessions, newest first. */
export function listSessions(log: SessionLog, options: SessionListOptions = {}): Promise<SessionRecord[]> {
  return log.list(options)
}

/** One session with its tasks and look-ups; the summary is recomputed, so an interrupted session has one too. */
export async function showSession(log: SessionLog, id: number): Promise<SessionDetail> {
  const detail = await log.get(id)
  if (!detail) {
    throw new AsteriaError('NOT_FOUND', `No session with id ${id}.`, {
      suggestions: ['List the recorded sessions and their ids with `asteria sessions`.'],
    })
  }
  return { ...detail, session: { ...detail.session, summary: { ...summarizeSession(detail.tasks, detail.lookups), thresholds: detail.session.summary?.thresholds } } }
}
