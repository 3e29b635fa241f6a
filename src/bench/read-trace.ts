import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { AsteriaError } from '../core/errors.js'
import { validateQuery } from '../core/query-limits.js'
import type { TraceRequest } from './trace-request.js'

export interface Trace {
  /** The workload name or the file's name. */
  name: string
  requests: TraceRequest[]
}

const FORMAT_HINT =
  'Each line is one JSON object: {"session": "s1", "tool": "search", "query": "...", "intent": "c17", "answers": ["..."], "t_ms": 0}; ' +
  'session and query are required, the rest optional.'

/** Reads a trace file (JSON Lines, optionally gzipped); every line is checked before anything runs. */
export function readTraceFile(path: string): Trace {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (error) {
    throw new AsteriaError('BAD_INPUT', `Cannot read the trace file ${path}: ${(error as Error).message}.`, {
      suggestions: ['Pass --trace with a JSON Lines file, or --workload search|coding for a built-in one.'],
      cause: error,
    })
  }
  const isGzip = bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
  return parseTrace(isGzip ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8'), basename(path))
}

/** Parses JSON Lines in the public trace format; blank lines are skipped, unknown fields ignored. */
export function parseTrace(text: string, name: string): Trace {
  const requests: TraceRequest[] = []
  const lines = text.split(/\r?\n/)
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return
    requests.push(parseLine(raw, i + 1, requests.length, name))
  })
  if (requests.length === 0) {
    throw new AsteriaError('BAD_INPUT', `Expected at least one request in the trace ${name}, found none.`, { suggestions: [FORMAT_HINT] })
  }
  return { name, requests }
}

function parseLine(raw: string, line: number, index: number, name: string): TraceRequest {
  const fail = (what: string): never => {
    throw new AsteriaError('BAD_INPUT', `${name} line ${line}: ${what}. Nothing was run.`, { suggestions: [FORMAT_HINT] })
  }
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch (error) {
    return fail(`expected a JSON object, received invalid JSON (${(error as Error).message})`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(`expected a JSON object, received ${describe(value)}`)
  const row = value as Record<string, unknown>
  if (typeof row.session !== 'string' || row.session === '') return fail(`expected "session" to be a non-empty string, received ${describe(row.session)}`)
  if (row.tool !== undefined && (typeof row.tool !== 'string' || row.tool === '')) return fail(`expected "tool" to be a non-empty string, received ${describe(row.tool)}`)
  let query: string
  try {
    query = validateQuery(row.query)
  } catch (error) {
    return fail(`"query": ${(error as Error).message}`)
  }
  if (row.intent !== undefined && (typeof row.intent !== 'string' || row.intent === '')) return fail(`expected "intent" to be a non-empty string, received ${describe(row.intent)}`)
  if (row.answers !== undefined && !(Array.isArray(row.answers) && row.answers.every((a) => typeof a === 'string'))) {
    return fail(`expected "answers" to be a list of strings, received ${describe(row.answers)}`)
  }
  if (row.t_ms !== undefined && !(typeof row.t_ms === 'number' && Number.isFinite(row.t_ms) && row.t_ms >= 0)) {
    return fail(`expected "t_ms" to be a number of milliseconds >= 0, received ${describe(row.t_ms)}`)
  }
  return {
    index,
    line,
    session: row.session,
    tool: (row.tool as string | undefined) ?? 'search',
    query,
    ...(row.intent === undefined ? {} : { intent: row.intent as string }),
    ...(row.answers === undefined ? {} : { answers: row.answers as string[] }),
    ...(row.t_ms === undefined ? {} : { tMs: row.t_ms as number }),
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  const text = JSON.stringify(value)
  return text.length > 60 ? text.slice(0, 57) + '...' : text
}
