// What the stores share to implement the lease port: claim keys, holder tokens, renewed exclusive runs.
import { createHash, randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { ExclusiveOutcome, Lease } from './cache-store.js'

/** The claim key of a question in its scope. */
export function flightKey(scopeKey: string, normalizedQuery: string): string {
  return createHash('sha256').update(`${scopeKey}\n${normalizedQuery}`).digest('hex').slice(0, 40)
}

/** A holder token unique to one claim, readable in the lease table (host and pid). */
export function leaseHolder(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
}

/** Runs `fn` under a claimed lease, renewing it every third of `ttlMs` until `fn` settles. */
export async function runExclusive<T>(lease: Lease | null, ttlMs: number, fn: () => Promise<T>): Promise<ExclusiveOutcome<T>> {
  if (!lease) return { ran: false }
  const heartbeat = setInterval(() => void lease.renew(ttlMs).catch(() => false), Math.max(Math.floor(ttlMs / 3), 10))
  heartbeat.unref()
  try {
    return { ran: true, value: await fn() }
  } finally {
    clearInterval(heartbeat)
    await lease.release().catch(() => {})
  }
}
