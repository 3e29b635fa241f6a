import type { TraceRequest } from './trace-request.js'

/** Requests grouped by session, sessions in order of first appearance, each session's requests in trace order. */
export function groupSessions(requests: readonly TraceRequest[]): TraceRequest[][] {
  const bySession = new Map<string, TraceRequest[]>()
  for (const request of requests) {
    const list = bySession.get(request.session)
    if (list) list.push(request)
    else bySession.set(request.session, [request])
  }
  return [...bySession.values()]
}
