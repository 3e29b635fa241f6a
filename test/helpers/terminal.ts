import { spawnSync } from 'node:child_process'
import { CLI_BIN, type CliRun, type CliSandbox, type RunCliOptions } from './run-cli.js'

/** util-linux `script` runs a command on a pseudo-terminal, as a user's terminal would (not on macOS). */
export const hasTerminal = spawnSync('script', ['--version'], { encoding: 'utf8' }).stdout?.includes('util-linux') ?? false

/**
 * Runs `asteria ...args` on a pseudo-terminal of `columns` columns; stdout is all the terminal
 * showed (stdout and stderr). The CLI first prints its pid, so that a run which outlives the
 * timeout (a spinner that never stops) is killed by that pid instead of left behind.
 */
export async function runOnTerminal(cli: CliSandbox, args: string[], columns: number, options: RunCliOptions = {}): Promise<CliRun> {
  let pid: number | undefined
  const inner = `stty cols ${columns} rows 30; echo pid=$$; exec ${process.execPath} ${CLI_BIN} ${args.join(' ')}`
  try {
    // Single quotes keep $$ for the inner shell, which becomes the CLI's process (exec).
    return await cli.shell(`exec script -qfec '${inner}' /dev/null`, {
      ...options,
      onSpawn: (child) => {
        child.stdout!.once('data', (chunk: Buffer | string) => (pid = Number(/pid=(\d+)/.exec(String(chunk))?.[1])))
        options.onSpawn?.(child)
      },
    })
  } catch (error) {
    if (pid) process.kill(pid, 'SIGKILL')
    throw error
  }
}
