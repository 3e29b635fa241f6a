import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach } from 'vitest'
import { openAsteria } from '../../src/asteria.js'
import { resolveConfig, type AsteriaConfig } from '../../src/config/config.js'
import { fetchJson } from '../../src/report/fetch-json.js'
import { sharedDataHome } from './shared-data.js'

/** The launcher a user runs (`asteria` is bin/run.js); it loads the built commands from dist/. */
export const CLI_BIN = resolve(fileURLToPath(new URL('../../bin/run.js', import.meta.url)))

export interface CliRun {
  stdout: string
  stderr: string
  exitCode: number
}

export interface RunCliOptions {
  env?: Record<string, string>
  input?: string
  /** Leaves stdin open after `input`, for the test to write to (onSpawn gets the child) and end. */
  holdStdin?: boolean
  cwd?: string
  /** Kills a CLI that hangs, so a test fails instead of leaving a process behind. */
  timeoutMs?: number
  /** Told the spawned process, e.g. to send it a signal. */
  onSpawn?: (child: ChildProcess) => void
  /** Run as this user and group (another user than the file's owner); needs root. */
  uid?: number
  gid?: number
}

// The user's own settings must not leak into a run (their cache, config, Ollama, colours), nor
// vitest's: NODE_ENV=test makes oclif look for TypeScript sources as in development.
const NOT_INHERITED = /^(ASTERIA_|XDG_|OLLAMA_|OCLIF_|VITEST|NO_COLOR$|FORCE_COLOR$|DEBUG$|NODE_ENV$|NODE_OPTIONS$)/

/** Defaults every run gets: no colour, no simulated source latency, no Ollama (port 9 is discard). */
export const QUIET_ENV: Record<string, string> = {
  NO_COLOR: '1',
  ASTERIA_LATENCY_MS: '0',
  OLLAMA_HOST: 'http://127.0.0.1:9',
}

/** Spawns `node bin/run.js ...args` and collects its output and exit code. */
export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliRun> {
  return spawnCollected(process.execPath, [CLI_BIN, ...args], `asteria ${args.join(' ')}`, options)
}

/** Runs a command line through `sh -c` as a user types it (a README line), in the same isolated environment. */
export function runShell(line: string, options: RunCliOptions = {}): Promise<CliRun> {
  return spawnCollected('sh', ['-c', line], line, options)
}

function spawnCollected(file: string, args: string[], label: string, options: RunCliOptions): Promise<CliRun> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !NOT_INHERITED.test(name)))
  const env = { ...inherited, ...QUIET_ENV, ...options.env }
  if (!env.ASTERIA_DB || !env.XDG_DATA_HOME || !env.ASTERIA_CONFIG_DIR) {
    return Promise.reject(new Error('runCli needs ASTERIA_DB, XDG_DATA_HOME and ASTERIA_CONFIG_DIR in options.env (useCliSandbox sets them).'))
  }
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'], uid: options.uid, gid: options.gid })
    options.onSpawn?.(child)
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    // A command that exits without reading stdin closes the pipe; that is not a test failure.
    child.stdin.on('error', () => {})
    if (options.holdStdin) child.stdin.write(options.input ?? '')
    else child.stdin.end(options.input ?? '')
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${label} did not exit within ${options.timeoutMs ?? 25_000} ms.\nstderr: ${stderr}`))
    }, options.timeoutMs ?? 25_000)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolvePromise({ stdout, stderr, exitCode: code ?? (signal ? 128 : 1) })
    })
  })
}

/** oclif wraps error text at 80 columns behind ` ›   `; this joins it back into one line. */
export function errorText(stderr: string): string {
  return stderr.replace(/\s*\n\s*›\s+/g, ' ').replace(/^\s*›\s+/, '').trim()
}

/** A stack frame such as `at openDatabase (/x/dist/store/open-store.js:12:5)`. */
export const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m

export interface CliSandbox {
  /** This test's own folder: the cache file and config folder live here; the default cwd. */
  readonly dir: string
  /** This test's cache file (ASTERIA_DB). */
  readonly db: string
  /** The isolating environment of this test's runs. */
  env(): Record<string, string>
  /** runCli with this test's environment (options.env added on top) and cwd. */
  run(args: string[], options?: RunCliOptions): Promise<CliRun>
  /** runShell with this test's environment and cwd. */
  shell(line: string, options?: RunCliOptions): Promise<CliRun>
  /** Runs with --json, expects `exitCode`, and returns the parsed stdout. */
  json<T = any>(args: string[], options?: RunCliOptions & { exitCode?: number }): Promise<T>
  /**
   * Asks a question in this process, with the configuration `asteria query` would resolve here, and
   * returns what `asteria query --json` prints: a test's "Given" without starting the CLI for it.
   */
  ask(query: string, flags?: Partial<AsteriaConfig>): Promise<ReturnType<typeof fetchJson>>
}

/**
 * Gives each test its own temp folder (its own cache file and config folder), removed after
 * the test. The data folder, which holds the corpus indexes, is the run's (shared-data.ts).
 */
export function useCliSandbox(): CliSandbox {
  let dir: string | undefined
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'asteria-cli-'))
  })
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
    dir = undefined
  })
  const current = () => {
    if (!dir) throw new Error('useCliSandbox: use it inside a test')
    return { dir, shared: sharedDataHome() }
  }
  const sandbox: CliSandbox = {
    get dir() {
      return current().dir
    },
    get db() {
      return join(current().dir, 'cache.sqlite')
    },
    env() {
      const { dir, shared } = current()
      return { ...QUIET_ENV, ASTERIA_DB: join(dir, 'cache.sqlite'), XDG_DATA_HOME: shared, ASTERIA_CONFIG_DIR: join(dir, 'config') }
    },
    run(args, options = {}) {
      return runCli(args, { ...options, cwd: options.cwd ?? current().dir, env: { ...sandbox.env(), ...options.env } })
    },
    shell(line, options = {}) {
      return runShell(line, { ...options, cwd: options.cwd ?? current().dir, env: { ...sandbox.env(), ...options.env } })
    },
    async json(args, options = {}) {
      const run = await sandbox.run([...args, '--json'], options)
      const expected = options.exitCode ?? 0
      if (run.exitCode !== expected) {
        throw new Error(`asteria ${args.join(' ')} --json exited ${run.exitCode}, expected ${expected}.\nstdout: ${run.stdout.slice(0, 2000)}\nstderr: ${run.stderr.slice(0, 2000)}`)
      }
      return JSON.parse(run.stdout)
    },
    async ask(query, flags = {}) {
      const asteria = await openAsteria(resolveConfig(flags, sandbox.env(), current().dir).config)
      try {
        return fetchJson(query, await asteria.ask(query, { tool: 'search' }), asteria.cache.clock.now())
      } finally {
        await asteria.close()
      }
    },
  }
  return sandbox
}
