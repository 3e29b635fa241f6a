import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createInterface } from 'node:readline'
import { CLI_BIN, type CliSandbox } from '../helpers/run-cli.js'

export interface ServeProcess {
  child: ChildProcessWithoutNullStreams
  /** The URL from the `{"listening": URL}` line, or undefined when the process exited first. */
  url: string | undefined
  /** Everything written to stderr so far. */
  stderr(): string
  /** Resolves with the exit code (or the signal) once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Resolves when stderr contains `text` (or rejects when the process exits first). */
  waitForStderr(text: string): Promise<void>
}

/**
 * Spawns `asteria serve --port 0 --json ...args` in the sandbox and resolves once it printed
 * its listening line (or exited). Killed by the test's end if still running.
 */
export async function spawnServe(cli: CliSandbox, args: string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI_BIN, 'serve', '--port', '0', '--json', ...args], {
    cwd: cli.dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...cli.env(), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stderr = ''
  const watchers: { text: string; resolve: () => void }[] = []
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
    for (const w of watchers.filter((w) => stderr.includes(w.text))) w.resolve()
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  const firstLine = new Promise<string | undefined>((resolve) => {
    createInterface({ input: child.stdout }).once('line', resolve)
    void exited.then(() => resolve(undefined))
  })
  const line = await firstLine
  return {
    child,
    url: line === undefined ? undefined : (JSON.parse(line) as { listening: string }).listening,
    stderr: () => stderr,
    exited,
    waitForStderr: (text) =>
      new Promise<void>((resolve, reject) => {
        if (stderr.includes(text)) return resolve()
        watchers.push({ text, resolve })
        void exited.then(() => reject(new Error(`asteria serve exited before printing "${text}".\nstderr: ${stderr}`)))
      }),
  }
}
