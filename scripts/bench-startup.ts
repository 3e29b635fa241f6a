/**
 * Start-up time of the CLI a user runs (bin/run.js on the built dist/), against bare Node on the
 * same machine in the same rounds: `node -e 0`, `asteria --help`, `asteria query --help` and one
 * `asteria query ... --latency 0` on a warmed cache (the corpus index built and the question
 * stored by an untimed first run). Each round runs every command once, in a rotated order; the
 * ratio is taken per round (paired) and its median printed, so load from other jobs cancels out.
 *
 * Run: npm run bench:startup [-- --runs 5 --against ../other-checkout --bare-env --json]
 * `--against DIR` times a second checkout (built) in the same rounds, for before/after figures.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { packageRoot } from '../src/core/util/package-paths.js'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    against: { type: 'string' },
    'bare-env': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
})
const runs = Number(values.runs)
const QUESTION = 'who wrote the declaration of independence'

interface Subject {
  label: string
  argv: string[]
  env: Record<string, string>
}

const sandbox = mkdtempSync(join(tmpdir(), 'asteria-bench-startup-'))

// By default every command inherits this shell's environment, as a user's commands do; --bare-env
// keeps only PATH (a variable such as NODE_EXTRA_CA_CERTS makes every Node start slower, bare Node's too).
const inherited = values['bare-env'] ? {} : Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(ASTERIA_|XDG_|OLLAMA_|OCLIF_|NODE_OPTIONS$|DEBUG$)/.test(name)))

/** Each checkout gets its own data folder and cache file (their schemas may differ). */
function isolatedEnv(folder: string): Record<string, string> {
  const home = join(sandbox, folder)
  return {
    ...(inherited as Record<string, string>),
    PATH: process.env.PATH ?? '',
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    ASTERIA_DB: join(home, 'cache.sqlite'),
    ASTERIA_CONFIG_DIR: join(home, 'config'),
    OLLAMA_HOST: 'http://127.0.0.1:9',
    NO_COLOR: '1',
  }
}

function subjects(root: string, tag: string, env: Record<string, string>): Subject[] {
  const bin = join(root, 'bin', 'run.js')
  return [
    { label: `${tag}--help`, argv: [bin, '--help'], env },
    { label: `${tag}query --help`, argv: [bin, 'query', '--help'], env },
    { label: `${tag}query`, argv: [bin, 'query', QUESTION, '--latency', '0'], env },
  ]
}

const bare: Subject = { label: 'node -e 0', argv: ['-e', '0'], env: isolatedEnv('node') }
const timed = [
  bare,
  ...subjects(packageRoot(), '', isolatedEnv('this')),
  ...(values.against ? subjects(resolve(values.against), 'against: ', isolatedEnv('against')) : []),
]

function run(subject: Subject): number {
  const started = process.hrtime.bigint()
  const child = spawnSync(process.execPath, subject.argv, { env: subject.env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (child.status !== 0) throw new Error(`${subject.label} exited ${child.status}: ${child.stderr.slice(0, 500)}`)
  return ms
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]
const load = loadavg()[0]
try {
  for (const subject of timed) run(subject) // warm-up: disk caches, the corpus index, the stored question
  const times = new Map(timed.map((s) => [s.label, [] as number[]]))
  for (let round = 0; round < runs; round++) {
    const order = timed.map((_, i) => timed[(i + round) % timed.length])
    for (const subject of order) times.get(subject.label)!.push(run(subject))
  }
  const node = times.get(bare.label)!
  const rows = timed.map((s) => {
    const ms = times.get(s.label)!
    return { command: s.label, medianMs: median(ms), ratioToNode: median(ms.map((t, i) => t / node[i])) }
  })
  const environment = values['bare-env'] ? 'PATH only' : 'this shell\'s'
  if (values.json) console.log(JSON.stringify({ runs, environment, loadAverage: load, rows }, null, 2))
  else {
    console.log(`Start-up, median of ${runs} paired rounds (ratio = this command / node -e 0 in the same round); ${environment} environment; load average ${load.toFixed(1)}`)
    console.log('command                       median ms  x node')
    for (const r of rows) console.log(`${r.command.padEnd(28)} ${r.medianMs.toFixed(0).padStart(9)}  ${r.ratioToNode.toFixed(2).padStart(6)}`)
  }
} finally {
  rmSync(sandbox, { recursive: true, force: true })
}
