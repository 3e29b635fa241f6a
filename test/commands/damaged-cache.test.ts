import { closeSync, openSync, writeSync } from 'node:fs'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { errorText, useCliSandbox } from '../helpers/run-cli.js'

/** Overwrites the pages of the elements table and its indexes, in the middle of the file, with garbage. */
function damageElementPages(path: string): number {
  const db = new Database(path, { readonly: true })
  const pageSize = db.pragma('page_size', { simple: true }) as number
  const pages = db.prepare("SELECT rootpage FROM sqlite_master WHERE tbl_name = 'elements' AND rootpage > 1").all() as { rootpage: number }[]
  db.close()
  const fd = openSync(path, 'r+')
  // 0xa5 is no b-tree page type, so SQLite always sees these pages as damaged.
  for (const { rootpage } of pages) writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (rootpage - 1) * pageSize)
  closeSync(fd)
  return pages.length
}

describe('a damaged cache file', () => {
  const cli = useCliSandbox()

  it('is the STORE error (exit 5) with what to do, for a look-up and for stats, never a raw SqliteError', async () => {
    // Given a cache file whose element pages were overwritten (its header and schema intact)
    await cli.run(['query', '-', '--jsonl'], { input: 'what is dna\nwho wrote hamlet\nwhere is paris\n' })
    expect(damageElementPages(cli.db)).toBeGreaterThan(3)

    // When a question is asked, and stats are asked for under --json
    const [query, stats] = [await cli.run(['query', 'x', '--db', cli.db]), await cli.run(['cache', 'stats', '--db', cli.db, '--json'])]

    // Then both exit 5 naming the file as damaged, and say to move it aside and export what is readable
    const message = `The cache file ${cli.db} is not a SQLite database or is corrupt (SQLite: database disk image is malformed).`
    expect(query.exitCode).toBe(5)
    expect(query.stdout).toBe('')
    expect(errorText(query.stderr)).toContain(message)
    expect(errorText(query.stderr)).toContain(`Move it away (mv "${cli.db}" "${cli.db}.bad")`)
    expect(query.stderr).not.toContain('SqliteError')
    expect(stats.exitCode).toBe(5)
    expect(JSON.parse(stats.stdout)).toEqual({
      error: {
        code: 'STORE',
        exitCode: 5,
        message,
        suggestions: [
          `Move it away (mv "${cli.db}" "${cli.db}.bad") and run again to start a new cache, or pass --db with another path.`,
          `Then save what is still readable, if anything: asteria cache export --db "${cli.db}.bad" -o rescued.jsonl, and asteria cache import rescued.jsonl.`,
        ],
      },
    })
  })
})
