import { existsSync } from 'node:fs'
import { AsteriaError } from '../core/errors.js'
import { fixturePath } from '../core/util/package-paths.js'
import { readTraceFile, type Trace } from './read-trace.js'

/** Built-in workloads shipped in fixtures/workloads (fixtures/SOURCES.md says where each comes from). */
export const BUILT_IN_WORKLOADS = ['search', 'coding', 'coding-authored'] as const
export type WorkloadName = (typeof BUILT_IN_WORKLOADS)[number]

export function loadWorkload(name: string): Trace {
  const path = fixturePath('workloads', `${name}.jsonl.gz`)
  if (!(BUILT_IN_WORKLOADS as readonly string[]).includes(name) || !existsSync(path)) {
    throw new AsteriaError('BAD_INPUT', `Expected a built-in workload (${BUILT_IN_WORKLOADS.join(', ')}), received "${name}".`, {
      suggestions: ['Pass --workload search, or --trace FILE for a trace of your own.'],
    })
  }
  return { ...readTraceFile(path), name }
}

/** The trace a bench run replays: a file, else a built-in workload (search by default). */
export function loadTrace(source: { trace?: string; workload?: string }): Trace {
  if (source.trace !== undefined && source.workload !== undefined) {
    throw new AsteriaError('BAD_INPUT', 'Expected either --trace or --workload, received both.', { suggestions: ['Drop one of them.'] })
  }
  return source.trace === undefined ? loadWorkload(source.workload ?? 'search') : readTraceFile(source.trace)
}
