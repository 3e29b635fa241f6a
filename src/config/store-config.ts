import { AsteriaError } from '../core/errors.js'

/**
 * The shared tier's setting: `storeUrl` (config key), `ASTERIA_STORE_URL` (environment),
 * `--store` (flag). Unset: the local SQLite file is the whole cache. Set to a
 * postgres:// URL: that PostgreSQL (with pgvector) is the shared tier and the local file
 * its hot tier. `?schema=name` picks the schema (default `asteria`), so several teams can
 * share one database.
 */
export const STORE_URL_ENV = 'ASTERIA_STORE_URL'
export const DEFAULT_STORE_SCHEMA = 'asteria'

export interface SharedStoreTarget {
  /** The URL handed to the PostgreSQL driver (schema parameter removed). */
  connectionString: string
  schema: string
  /** The URL with its password replaced by ***: the only form ever printed. */
  redacted: string
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/**
 * Config validator: undefined/empty keeps the local-only store; anything else must be a postgres
 * URL. Throws what config.ts puts after "Expected storeUrl to be" (it must print the value redacted).
 */
export function validateStoreUrl(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined
  const expected = new Error('a postgres://user:password@host:5432/database URL (optionally ?schema=name)')
  if (typeof value !== 'string') throw expected
  try {
    parseStoreUrl(value)
  } catch {
    throw expected
  }
  return value
}

export function parseStoreUrl(value: string): SharedStoreTarget {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new AsteriaError('CONFIG', `Expected the shared store to be a postgres:// URL, received "${redactStoreUrl(value)}".`, {
      suggestions: ['Pass --store postgres://user:password@host:5432/database (or set ASTERIA_STORE_URL).'],
    })
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new AsteriaError('CONFIG', `Expected the shared store URL to start with postgres://, received ${url.protocol}//.`, {
      suggestions: ['Only PostgreSQL with pgvector can be the shared tier; leave storeUrl unset to use the local cache file alone.'],
    })
  }
  const schema = url.searchParams.get('schema') ?? DEFAULT_STORE_SCHEMA
  if (!SCHEMA_NAME.test(schema)) {
    throw new AsteriaError('CONFIG', `Expected the schema in the store URL to be a lower-case SQL name, received "${schema}".`)
  }
  url.searchParams.delete('schema')
  return { connectionString: url.toString(), schema, redacted: redactStoreUrl(value) }
}

/** Replaces the password of a connection URL (and any password= parameter) by ***. */
export function redactStoreUrl(value: string): string {
  return value
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^@/?#]*@/i, '$1:***@')
    .replace(/([?&]password=)[^&#]*/gi, '$1***')
}

/** Removes every occurrence of the URL's password from a message (drivers sometimes echo it). */
export function redactSecrets(message: string, connectionString: string): string {
  let password = ''
  try {
    password = decodeURIComponent(new URL(connectionString).password)
  } catch {
    return message
  }
  return password ? message.split(password).join('***') : message
}
