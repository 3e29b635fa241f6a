import pg from 'pg'
import { AsteriaError } from '../../core/errors.js'
import { redactSecrets, type SharedStoreTarget } from '../../config/store-config.js'

export interface PoolOptions {
  /** Connections this process opens at most (each machine has its own pool). */
  max?: number
  /** How long acquiring a connection may take before the call fails, ms. */
  connectTimeoutMs?: number
}

const INT8_OID = 20

// bigint columns (ids, epoch-ms times) fit a JS number; pg would return them as strings.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
}

/**
 * A connection pool to the shared tier. Idle connections that die (server restarted, network
 * cut) are dropped quietly: the pool opens new ones, and the failing call reports the outage.
 */
export function createPool(target: SharedStoreTarget, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'asteria',
    types,
  })
  pool.on('error', () => {})
  return pool
}

/** A driver error as an AsteriaError that names the server (never its password) and what to do. */
export function sharedStoreError(target: SharedStoreTarget, error: unknown): AsteriaError {
  if (error instanceof AsteriaError) return error
  const message = redactSecrets((error as Error).message ?? String(error), target.connectionString)
  return new AsteriaError('STORE', `The shared cache at ${target.redacted} failed: ${message}`, {
    suggestions: ['Check that PostgreSQL is running and reachable from this machine (`asteria doctor` tests it), or unset ASTERIA_STORE_URL to use the local cache alone.'],
  })
}

/** A vector as pgvector's text literal '[x,y,...]' (the npm `pgvector` package needs Node 22). */
export function toVectorLiteral(embedding: Float32Array): string {
  return '[' + Array.from(embedding).join(',') + ']'
}

export function fromVectorLiteral(text: string): Float32Array {
  return new Float32Array(text.slice(1, -1).split(',').map(Number))
}

/** Epoch milliseconds for SQL: -Infinity/Infinity (the core's "any time") become the bigint range ends. */
export function toEpochMs(time: number): number {
  if (time === -Infinity) return Number.MIN_SAFE_INTEGER
  if (time === Infinity) return Number.MAX_SAFE_INTEGER
  return Math.round(time)
}

/** The database's clock in epoch ms: leases compare against it, so machines' clock skew does not matter. */
export const DB_NOW_MS = '(extract(epoch from clock_timestamp()) * 1000)::bigint'

/**
 * Query parameters with NUL characters removed from strings: PostgreSQL text cannot hold them
 * ("invalid byte sequence for encoding UTF8: 0x00"), and one such record must not read as an
 * outage that keeps a queue from ever draining.
 */
export function withoutNul(params: readonly unknown[]): unknown[] {
  return params.map((p) => (typeof p === 'string' && p.includes('\u0000') ? p.replaceAll('\u0000', '') : p))
}
