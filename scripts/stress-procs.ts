/**
 * npm run stress:procs [-- --procs 8 --ops 10000 --json]
 * Several processes share one cache file: each runs mixed look-ups (storing on a miss, with an
 * entry budget that evicts) and hand-run prunes. Afterwards every acknowledged store must still be
 * there, or be in the eviction log. Prints errors, lost writes and throughput.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { packageRoot } from '../src/core/util/package-paths.js'

const { values } = parseArgs({
  options: { procs: { type: 'string', default: '8' }, ops: { type: 'string', default: '10000' }, json: { type: 'boolean', default: false } },
})
const procs = Number(values.procs)
const ops = Number(values.ops)
const dir = mkdtempSync(join(tmpdir(), 'asteria-procs-'))
const dbPath = join(dir, 'cache.sqlite')
const worker = join(packageRoot(), 'scripts', 'stress', 'procs-worker.ts')

interface WorkerResult { acks: { id: number; createdAt: number; query: string }[]; ops: number; errors: number; exitCode: number | null }

function runWorker(index: number): Promise<WorkerResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, dbPath, String(index), String(ops)], { stdio: ['ignore', 'pipe', 'inherit'] })
    const result: WorkerResult = { acks: [], ops: 0, errors: 0, exitCode: null }
    let buffered = ''
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8')
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        const ack = /^ack (\d+) (\d+) (.*)$/.exec(line)
        if (ack) result.acks.push({ id: Number(ack[1]), createdAt: Number(ack[2]), query: ack[3] })
        const done = /^done (\d+) (\d+)$/.exec(line)
        if (done) [result.ops, result.errors] = [Number(done[1]), Number(done[2])]
      }
    })
    child.once('exit', (code) => resolve({ ...result, exitCode: code }))
  })
}

const started = performance.now()
const results = await Promise.all(Array.from({ length: procs }, (_, i) => runWorker(i)))
const seconds = (performance.now() - started) / 1000

const db = new Database(dbPath, { readonly: true })
const present = db.prepare('SELECT query FROM elements WHERE id = ? AND created_at = ?')
const evicted = db.prepare('SELECT 1 FROM evictions WHERE element_id = ? AND created_at = ? AND query = ?')
let lost = 0
let acknowledged = 0
for (const r of results) {
  for (const a of r.acks) {
    acknowledged++
    const row = present.get(a.id, a.createdAt) as { query: string } | undefined
    if (row?.query !== a.query && !evicted.get(a.id, a.createdAt, a.query)) lost++
  }
}
const integrity = db.pragma('integrity_check', { simple: true })
const evictions = (db.prepare('SELECT count(*) AS n FROM evictions').get() as { n: number }).n
db.close()
rmSync(dir, { recursive: true, force: true })

const summary = {
  processes: procs,
  opsPerProcess: ops,
  totalOps: results.reduce((n, r) => n + r.ops, 0),
  errors: results.reduce((n, r) => n + r.errors, 0),
  crashedProcesses: results.filter((r) => r.exitCode !== 0).length,
  acknowledgedStores: acknowledged,
  evictions,
  lostWrites: lost,
  integrity,
  seconds: Number(seconds.toFixed(1)),
  opsPerSecond: Math.round(results.reduce((n, r) => n + r.ops, 0) / seconds),
}
if (values.json) console.log(JSON.stringify(summary, null, 2))
else {
  console.log(`${procs} processes x ${ops} mixed look-ups/stores/evictions on one cache file:`)
  console.log(`  errors ${summary.errors}, crashed processes ${summary.crashedProcesses}, integrity ${integrity}`)
  console.log(`  acknowledged stores ${acknowledged}, evictions ${evictions}, lost writes ${lost}`)
  console.log(`  ${summary.totalOps} operations in ${summary.seconds} s = ${summary.opsPerSecond} ops/s (all processes)`)
}
process.exitCode = summary.errors === 0 && lost === 0 && summary.crashedProcesses === 0 ? 0 : 1
