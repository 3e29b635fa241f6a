import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AsteriaConfig } from '../../config/config.js'
import { AsteriaError, isAsteriaError } from '../../core/errors.js'
import type { Trace } from '../read-trace.js'
import type { TraceRequest } from '../trace-request.js'
import { openBenchSchema, type BenchSchema } from './bench-schema.js'
import type { MachineSpec } from './machine-protocol.js'
import { compareSharing, summarizeSharedCalls, summarizeVariant, type MachinesBenchResult, type MachinesVariantReport } from './machines-result.js'
import { closeOnSignals, type SignalSource } from '../../core/util/close-on-signals.js'
import { replayOnMachines, type MachinesReplay } from './spawn-machines.js'
import { splitBySession } from './split-by-session.js'

export interface MachinesBenchOptions {
  trace: Trace
  /** Processes standing in for machines, at least 2. */
  machines: number
  /** The PostgreSQL (with pgvector) whose database hosts the shared tier, in a throwaway schema. */
  storeUrl: string
  /** Embedder, judge, thresholds and namespace for every machine's cache. */
  config: AsteriaConfig
  /** Replay only the first N requests. */
  limit?: number
  /** The simulated remote's latency, ms: a number or [min, max] (default 0: it answers at once). */
  remoteLatencyMs?: number | [number, number]
  seed?: number
  onProgress?: (progress: { done: number; total: number; label: string }) => void
  /** Where Ctrl+C (SIGINT) and SIGTERM arrive; default the process. Tests inject one. */
  signals?: SignalSource
}

/**
 * The value of sharing one cache across machines: replays a trace split by session over N
 * processes, first with N isolated local caches, then with N local caches over one shared
 * PostgreSQL tier, and compares hit rates and the cache's own look-up time.
 */
export async function runMachinesBench(options: MachinesBenchOptions): Promise<MachinesBenchResult> {
  if (!Number.isInteger(options.machines) || options.machines < 2) {
    throw new AsteriaError('BAD_INPUT', `Expected at least 2 machines to compare sharing with, received ${options.machines}.`, {
      suggestions: ['Pass --machines 2 or more.'],
    })
  }
  const requests = options.trace.requests.slice(0, options.limit ?? options.trace.requests.length)
  const shares = splitBySession(requests, options.machines)
  const latency = options.remoteLatencyMs ?? 0
  const remoteLatencyMs: [number, number] = Array.isArray(latency) ? latency : [latency, latency]
  const seed = options.seed ?? 1
  const scoredIntents = requests.some((r) => r.intent !== undefined)
  const { storeUrl: _dropped, ...config } = options.config
  // Ctrl+C stops the machines and still drops the bench schema (a second Ctrl+C stops at once).
  const interrupted = new AbortController()
  const stopListening = closeOnSignals(async () => interrupted.abort(), options.signals)
  let schema: BenchSchema
  try {
    schema = await openBenchSchema(options.storeUrl)
  } catch (error) {
    stopListening()
    throw error
  }
  const dir = mkdtempSync(join(tmpdir(), 'asteria-bench-machines-'))
  try {
    const total = 2 * requests.length
    const run = async (name: 'isolated' | 'shared', offset: number, label: string): Promise<MachinesReplay> => {
      const done = shares.map(() => 0)
      const specs = shares.map(
        (share, i): MachineSpec => ({
          db: join(dir, `${name}-${i}.sqlite`),
          storeUrl: name === 'shared' ? schema.url : null,
          config,
          remoteLatencyMs,
          seed,
          requests: share.map(toMachineRequest),
        }),
      )
      options.onProgress?.({ done: offset, total, label })
      return replayOnMachines(
        specs,
        (machine, count) => {
          done[machine] = count
          options.onProgress?.({ done: offset + done.reduce((a, b) => a + b, 0), total, label })
        },
        interrupted.signal,
      )
    }
    const isolatedRun = await run('isolated', 0, `${options.machines} isolated caches`)
    const sharedRun = await run('shared', requests.length, `${options.machines} caches + shared tier`)
    const isolated = summarizeVariant('isolated', `${options.machines} isolated local caches`, isolatedRun.outcomes.flat(), scoredIntents)
    const shared = summarizeVariant('shared', `${options.machines} local caches + one shared tier`, sharedRun.outcomes.flat(), scoredIntents)
    return {
      trace: {
        name: options.trace.name,
        requests: requests.length,
        sessions: new Set(requests.map((r) => r.session)).size,
        intents: scoredIntents ? new Set(requests.map((r) => r.intent)).size : null,
      },
      machines: options.machines,
      requestsPerMachine: shares.map((s) => s.length),
      sharedTier: { location: schema.location, schema: schema.schema },
      settings: { embedder: sharedRun.embedder, judge: sharedRun.judge, remoteLatencyMs, seed },
      variants: [isolated, shared],
      sharedTierCalls: summarizeSharedCalls(sharedRun.sharedCalls),
      sharing: compareSharing(isolated, shared),
      notes: notesFor(shares, isolated, [...new Set([...isolatedRun.notes, ...sharedRun.notes])]),
    }
  } catch (error) {
    if (!isAsteriaError(error) || error.code !== 'INTERRUPTED') throw error
    throw new AsteriaError('INTERRUPTED', `Interrupted: stopped the ${options.machines} bench machines and dropped the bench schema ${schema.schema}; nothing else was touched.`)
  } finally {
    stopListening()
    await schema.drop().finally(() => rmSync(dir, { recursive: true, force: true }))
  }
}

function toMachineRequest(request: TraceRequest): MachineSpec['requests'][number] {
  return { index: request.index, tool: request.tool, query: request.query, intent: request.intent ?? null }
}

function notesFor(shares: TraceRequest[][], isolated: MachinesVariantReport, machineNotes: string[]): string[] {
  const notes = [...machineNotes]
  const idle = shares.filter((s) => s.length === 0).length
  if (idle > 0) notes.push(`${idle} of ${shares.length} machines got no requests: the trace has fewer sessions than machines.`)
  if (isolated.rightIntentHits === null) notes.push('The trace has no intents: hits are not scored for the right intent.')
  return notes
}
