import { AsteriaError } from '../core/errors.js'

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** "90s", "10m", "2h", "7d" or plain milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim())
  if (!match) {
    throw new AsteriaError('BAD_INPUT', `Expected ${flag} to be a duration like 90s, 10m, 2h or 7d, received "${text}".`)
  }
  return Number(match[1]) * UNITS[match[2] ?? 'ms']
}

/** "0", "400" or "300-500" (ms) for the simulated source latency. */
export function parseLatency(text: string): number | [number, number] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text.trim())
  if (!match || (match[2] !== undefined && Number(match[2]) < Number(match[1]))) {
    throw new AsteriaError('BAD_INPUT', `Expected --latency to be milliseconds like 0, 400 or 300-500, received "${text}".`)
  }
  return match[2] === undefined ? Number(match[1]) : [Number(match[1]), Number(match[2])]
}
