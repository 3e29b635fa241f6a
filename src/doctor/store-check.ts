import { existsSync } from 'node:fs'
import { isWritableCacheFile } from '../store/sqlite/read-only-file.js'
import { SqliteStore } from '../store/sqlite/sqlite-store.js'
import { READ_ONLY_COMMANDS } from '../store/store-errors.js'
import type { DoctorCheck } from './doctor-check.js'

/** The cache file: absent (created on first use), readable (what it holds), read-only, or broken. */
export function storeCheck(path: string): DoctorCheck {
  if (!existsSync(path)) return { part: 'store', status: 'ok', detail: `${path} (created on first use)` }
  try {
    const { sqliteVersion, vecVersion, schemaVersion, elements } = SqliteStore.describe(path)
    const detail = `${path} (SQLite ${sqliteVersion}, sqlite-vec ${vecVersion}, schema ${schemaVersion}, ${elements} elements)`
    if (!isWritableCacheFile(path)) {
      return { part: 'store', status: 'warn', detail: `${detail}, read-only for this user: look-ups cannot store answers`, fix: `read-only commands work on it (${READ_ONLY_COMMANDS}); to store, pass --db with a file you can write` }
    }
    return { part: 'store', status: 'ok', detail }
  } catch (error) {
    return { part: 'store', status: 'error', detail: (error as Error).message, fix: 'pass --db with another path, or set ASTERIA_DB' }
  }
}
