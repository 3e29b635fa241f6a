import { createHash, randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { setTimeout as delay } from 'node:timers/promises'
import type { CacheStore, ExclusiveOutcome, Lease } from './cache-store.js'
import type { SemanticElement } from '../semantic-element.js'

/**
 * Single flight across processes and machines sharing a store: before a miss calls the
 * source, the process claims the question; one claimant leads (calls the source), the others
 * wait for the element it stores. In-process single flight (single-flight.ts) runs first.
 */
export type FlightClaim = { kind: 'lead'; lease?: Lease } | { kind: 'peer'; element: SemanticElement }

export interface PeerFlightOptions {
  /** How long a claim lasts if its holder dies without releasing it, ms. */
  leaseMs: number
  /** How long a waiting process waits for the leader before calling the source itself, ms. */
  waitMs: number
  now: () => number
  /** Elements stored before this time do not answer (a request's max-age). */
  notBefore?: number
}

export const PEER_FLIGHT_DEFAULTS = { leaseMs: 60_000, waitMs: 10_000 }

/** The claim key of a question in its scope. */
export function flightKey(scopeKey: string, normalizedQuery: string): string {
  return createHash('sha256').update(`${scopeKey}\n${normalizedQuery}`).digest('hex').slice(0, 40)
}

/** A holder token unique to one claim, readable in the lease table (host and pid). */
export function leaseHolder(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
}

/**
 * Leads when the claim is free; otherwise polls until the leader's element is stored, the claim
 * frees up (the leader stored nothing, or died), or `waitMs` passes — then leads without a claim.
 */
export async function claimFlight(store: CacheStore, scopeKey: string, normalizedQuery: string, options: PeerFlightOptions): Promise<FlightClaim> {
  if (!store.acquireLease) return { kind: 'lead' }
  const deadline = performance.now() + options.waitMs
  let pause = 20
  for (;;) {
    const lease = await store.acquireLease(scopeKey, normalizedQuery, options.leaseMs)
    // Checked after claiming too: a leader may have stored and released since this process missed.
    const stored = await store.findExact(scopeKey, normalizedQuery, options.now())
    if (stored && stored.createdAt >= (options.notBefore ?? -Infinity)) {
      await lease?.release()
      return { kind: 'peer', element: stored }
    }
    if (lease) return { kind: 'lead', lease }
    if (performance.now() >= deadline) return { kind: 'lead' }
    await delay(pause)
    pause = Math.min(pause * 2, 250)
  }
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
