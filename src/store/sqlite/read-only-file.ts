import { accessSync, constants, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'

/** Whether this user may write the cache file and its folder, where SQLite keeps its -wal and -shm files. */
export function isWritableCacheFile(path: string): boolean {
  try {
    accessSync(path, constants.W_OK)
    accessSync(dirname(path), constants.W_OK)
    return true
  } catch {
    return false
  }
}

/**
 * Opens an existing cache file read-only. SQLite reads a WAL-mode file only where it can create
 * the shared-memory file beside it, so in a folder this user may not write, the file is read into
 * memory instead: a snapshot of what its writers have checkpointed (the usual state once they close).
 */
export function openReadOnlyFile(path: string): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get()
    return db
  } catch (error) {
    db.close()
    if (!/^SQLITE_(READONLY|CANTOPEN)/.test(String((error as { code?: unknown }).code))) throw error
  }
  const image = readFileSync(path)
  // Header bytes 18-19 are 2 for WAL; an in-memory database reads the rollback-journal format (1).
  image[18] = 1
  image[19] = 1
  return new Database(image, { readonly: true })
}
