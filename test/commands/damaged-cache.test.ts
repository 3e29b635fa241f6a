import { closeSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { errorText, useCliSandbox } from '../helpers/run-cli.js'

/** Overwrites the root pages of the tables named like `tables` (and their indexes), in the middle of the file, with garbage. */
function damagePages(path: string, tables: string): number {
  const db = new Database(path, { readonly: true })
  const pageSize = db.pragma('page_size', { simple: true }) as number
  const pages = db.prepare('SELECT rootpage FROM sqlite_master WHERE tbl_name LIKE ? AND rootpage > 1').all(tables) as { rootpage: number }[]
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
    expect(damagePages(cli.db, 'elements')).toBeGreaterThan(3)

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

  it('is told apart from a damaged corpus index, which is named with its own advice', async () => {
    // Given a healthy cache file, and a corpus index (built by a first look-up) whose passage pages were overwritten
    const data = join(cli.dir, 'data')
    await cli.json(['query', 'what is dna'], { env: { XDG_DATA_HOME: data } })
    const index = join(data, 'asteria', 'corpus-index.sqlite')
    expect(damagePages(index, 'passages%')).toBeGreaterThan(0)

    // When a new question needs the corpus
    const run = await cli.run(['query', 'who wrote hamlet'], { env: { XDG_DATA_HOME: data } })

    // Then the error names the corpus index and says to delete it, not the cache file
    expect(run.exitCode).toBe(5)
    expect(errorText(run.stderr)).toContain(`Expected a corpus index (SQLite) at ${index}; could not read it: `)
    expect(errorText(run.stderr)).toContain(`Delete ${index}: it is rebuilt from`)
    expect(run.stderr).not.toContain(cli.db)
  })
})
