/**
 * npm run stress:crash [-- --runs 100 --json]
 * A child process stores elements in a loop and is killed with SIGKILL at a random moment, again
 * and again on the same file. After each kill: PRAGMA integrity_check must say ok, and every store
 * the child acknowledged (printed after the call returned) must be present. Prints the counts.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { packageRoot } from '../src/core/util/package-paths.js'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '100' }, json: { type: 'boolean', default: false } } })
const runs = Number(values.runs)
const dir = mkdtempSync(join(tmpdir(), 'asteria-crash-'))
const dbPath = join(dir, 'cache.sqlite')
const writer = join(packageRoot(), 'scripts', 'stress', 'crash-writer.ts')

let seed = 20261126
const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32)

interface RunResult { acked: number; missing: number; integrity: string }

async function oneRun(index: number): Promise<RunResult> {
  // node itself runs the writer (tsx as a loader, not a wrapper), so SIGKILL hits the writer.
  const child = spawn(process.execPath, ['--import', 'tsx', writer, dbPath, String(index)], { stdio: ['ignore', 'pipe', 'inherit'] })
  const acked: { id: number; query: string }[] = []
  let buffered = ''
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8')
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    for (const line of lines) {
      const match = /^ack (\d+) (.*)$/.exec(line)
      if (match) acked.push({ id: Number(match[1]), query: match[2] })
    }
  })
  // Kill once the child is writing, at a random point within its next ~300 ms of stores.
  await new Promise<void>((resolve) => {
    const started = () => {
      if (acked.length === 0) return setTimeout(started, 5)
      setTimeout(() => {
        child.kill('SIGKILL')
        resolve()
      }, random() * 300)
    }
    started()
  })
  await new Promise((resolve) => child.once('exit', resolve))
  const db = new Database(dbPath, { readonly: true })
  const integrity = (db.pragma('integrity_check', { simple: true }) as string) ?? 'no answer'
  const present = db.prepare('SELECT query FROM elements WHERE id = ?')
  const missing = acked.filter((a) => (present.get(a.id) as { query: string } | undefined)?.query !== a.query).length
  db.close()
  return { acked: acked.length, missing, integrity }
}

const results: RunResult[] = []
for (let i = 0; i < runs; i++) {
  results.push(await oneRun(i))
  if (!values.json) process.stderr.write(`\rrun ${i + 1}/${runs}`)
}
if (!values.json) process.stderr.write('\n')
const summary = {
  runs,
  intact: results.filter((r) => r.integrity === 'ok').length,
  acknowledgedStores: results.reduce((n, r) => n + r.acked, 0),
  lostStores: results.reduce((n, r) => n + r.missing, 0),
}
rmSync(dir, { recursive: true, force: true })
if (values.json) console.log(JSON.stringify(summary, null, 2))
else {
  console.log(`SIGKILL during writes, ${summary.runs} times on one cache file:`)
  console.log(`  integrity_check ok after ${summary.intact}/${summary.runs} kills`)
  console.log(`  acknowledged stores: ${summary.acknowledgedStores}, lost: ${summary.lostStores}`)
}
process.exitCode = summary.intact === runs && summary.lostStores === 0 ? 0 : 1
