import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import * as sqliteVec from 'sqlite-vec'
import { AsteriaError } from '../../core/errors.js'
import type { VectorIndexOptions } from './vector-index/vector-index-options.js'
import { MIGRATIONS } from './migrations.js'
import { isWritableCacheFile, openReadOnlyFile } from './read-only-file.js'
import { cacheFileError, readOnlyFileError } from '../store-errors.js'

/**
 * Address space, not memory: pages are shared with the OS's file cache. SQLite caps it at its
 * compile-time SQLITE_MAX_MMAP_SIZE (0x7fff0000 in better-sqlite3's build): pages past it are read
 * with a system call each, as a 1M-element scope's lists are.
 */
export const MMAP_BYTES = 0x7fff0000
/** The write-ahead log's size on disk once a checkpoint has emptied it. */
export const WAL_LIMIT_BYTES = 64 * 1024 * 1024

export interface OpenStoreOptions {
  /** Milliseconds a writer waits for another process's lock before failing. */
  busyTimeoutMs?: number
  /** Open an existing file read-only: no migrations, and a folder this user may not write is fine. */
  readonly?: boolean
  /** When a scope's vectors are searched through lists, and how (the measured defaults otherwise). */
  vectorIndex?: VectorIndexOptions
  /** Bytes of the file SQLite maps into memory (default: its cap); 0 reads every page with a system call. For `npm run bench:mapping`. */
  mapBytes?: number
}

/**
 * Opens (creating if needed) an Asteria cache file: loads sqlite-vec, turns on WAL and a busy
 * timeout so several agent processes can share it, and runs pending migrations. New files
 * are private to the user (0600 in a 0700 folder). A file this user may not write is refused
 * unless it is opened read-only.
 */
export function openDatabase(path: string, options: OpenStoreOptions = {}): Database.Database {
  const isMemory = path === ':memory:'
  const isNew = !isMemory && !existsSync(path)
  let db: Database.Database
  try {
    if (isNew) mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    else if (!isMemory) assertSqliteHeader(path)
    if (!isNew && !isMemory && !options.readonly && !isWritableCacheFile(path)) throw readOnlyFileError(path)
    db = options.readonly ? openReadOnlyFile(path) : new Database(path)
    sqliteVec.load(db)
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`)
    if (!isMemory && !options.readonly) {
      db.pragma('journal_mode = WAL')
      // SQLite reuses its WAL file without shrinking it: a 1M-element build left 1.17 GB on disk
      // for as long as any process kept the cache open. Past this, it is cut back when reset.
      db.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`)
    }
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    // Vector look-ups read pages through the map instead of a read() per page. `npm run bench:mapping`
    // (stop 27): look-ups into pages read before are 1.5-1.7x faster mapped at 100k and 1M elements;
    // a process's first reads are 7-12% faster mapped at 100k, 27-29% slower at 1M (a 2.5 GB file).
    db.pragma(`mmap_size = ${options.mapBytes ?? MMAP_BYTES}`)
  } catch (error) {
    throw error instanceof AsteriaError ? error : storeOpenError(path, error)
  }
  if (isNew) chmodSync(path, 0o600)
  try {
    assertAsteriaFile(db, path)
    if (!options.readonly) migrate(db)
  } catch (error) {
    db.close()
    throw error instanceof AsteriaError ? error : storeOpenError(path, error)
  }
  return db
}

function assertAsteriaFile(db: Database.Database, path: string): void {
  const version = db.pragma('user_version', { simple: true }) as number
  if (version > MIGRATIONS.length) {
    throw new AsteriaError('STORE', `The cache file ${path} was written by a newer Asteria (schema ${version}, this one knows ${MIGRATIONS.length}).`, {
      suggestions: ['Upgrade asteria, or pass --db with another path.'],
    })
  }
  if (version === 0) {
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }
    if (tables.n > 0) {
      throw new AsteriaError('STORE', `Expected an Asteria cache at ${path}, found a SQLite database of another program.`, {
        suggestions: ['Pass --db (or set ASTERIA_DB) to a new file; Asteria will not write into a foreign database.'],
      })
    }
  }
}

/**
 * Opens the file and builds a store on it. A store's statements expect the current schema, which a
 * file opened read-only cannot be upgraded to; and reading past the schema is where SQLite finds
 * damaged pages first, so a failure closes the file and names it.
 */
export function buildOnDatabase<T>(path: string, options: OpenStoreOptions, build: (db: Database.Database) => T): T {
  const db = openDatabase(path, options)
  try {
    const version = db.pragma('user_version', { simple: true }) as number
    if (options.readonly && version < MIGRATIONS.length) {
      throw new AsteriaError('STORE', `The cache file ${path} has schema ${version}, older than this Asteria's ${MIGRATIONS.length}, and is read-only for this user, so it cannot be upgraded.`, {
        suggestions: ['Run any asteria command on it once as a user who may write it (its owner) to upgrade it, or read it with the Asteria that wrote it.'],
      })
    }
    return build(db)
  } catch (error) {
    db.close()
    throw cacheFileError(path, error) ?? error
  }
}

const SQLITE_HEADER = 'SQLite format 3\0'

/** SQLite takes some very short files for an empty database and overwrites them: refuse any non-empty file without the SQLite header. */
function assertSqliteHeader(path: string): void {
  if (statSync(path).size === 0) return
  const head = Buffer.alloc(SQLITE_HEADER.length)
  const fd = openSync(path, 'r')
  try {
    readSync(fd, head, 0, head.length, 0)
  } finally {
    closeSync(fd)
  }
  if (head.toString('latin1') !== SQLITE_HEADER) throw Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' })
}

function storeOpenError(path: string, error: unknown): AsteriaError {
  return cacheFileError(path, error) ?? new AsteriaError('STORE', `Cannot open the cache file ${path}: ${(error as Error).message}`, { cause: error })
}

/** Runs pending migrations in one IMMEDIATE transaction, so processes opening a new file at once do not race. */
export function migrate(db: Database.Database): void {
  if ((db.pragma('user_version', { simple: true }) as number) === MIGRATIONS.length) return
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number
    if (current > MIGRATIONS.length) {
      throw new Error(`schema version ${current} is newer than this asteria (${MIGRATIONS.length})`)
    }
    for (let version = current; version < MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version])
      db.pragma(`user_version = ${version + 1}`)
    }
  }).immediate()
}
