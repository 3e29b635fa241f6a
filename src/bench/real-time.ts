import { realSleep } from '../sources/simulated-region.js'
import { requestRegion, type RemoteModel } from './remote-model.js'
import { ServedFromBook, type ReplayRecord } from './served-from.js'
import { groupSessions } from './group-sessions.js'
import { stripGold, type TraceRequest } from './trace-request.js'
import type { ServeContext, Variant } from './variant.js'

export interface RealTimeOptions {
  workers: number
  openLoop: boolean
  remote: RemoteModel
  onCompleted?: () => void
}

/** Replays a trace in real time: remote calls really wait, arrivals follow the wall clock. For end-to-end runs. */
export async function replayInRealTime(variant: Variant, requests: readonly TraceRequest[], options: RealTimeOptions): Promise<ReplayRecord[]> {
  const book = new ServedFromBook()
  const records: Omit<ReplayRecord, 'servedFrom'>[] = []
  const start = performance.now()
  const serve = async (request: TraceRequest) => {
    const arrivalMs = performance.now() - start
    const context: ServeContext = {
      remote: async () => {
        const call = await requestRegion(options.remote, request.index, realSleep).search(request.query, {})
        return { result: book.fetched(call.result, request.index), latencyMs: call.latencyMs, costUsd: call.costUsd }
      },
      waiting: () => {},
    }
    const outcome = await variant.serve(stripGold(request), context)
    const completionMs = performance.now() - start
    records.push({ index: request.index, arrivalMs, completionMs, latencyMs: completionMs - arrivalMs, outcome })
    options.onCompleted?.()
  }
  if (options.openLoop) {
    await Promise.all(requests.map(async (request) => {
      await realSleep(Math.max(0, (request.tMs ?? 0) - (performance.now() - start)))
      await serve(request)
    }))
  } else {
    const sessions = groupSessions(requests)
    await Promise.all(Array.from({ length: options.workers }, async () => {
      for (let session = sessions.shift(); session; session = sessions.shift()) {
        for (const request of session) await serve(request)
      }
    }))
  }
  return book.resolve(records)
}
