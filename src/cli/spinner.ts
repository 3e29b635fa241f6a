import type { Ora } from 'ora'

export interface Progress {
  update(text: string): void
  /** Writes a line of results to stdout, clearing the spinner (on the same terminal) first and redrawing it after. */
  log(line: string): void
  succeed(text?: string): void
  fail(text?: string): void
  stop(): void
}

const silent: Progress = { update() {}, log: (line) => process.stdout.write(`${line}\n`), succeed() {}, fail() {}, stop() {} }

/**
 * A spinner on stderr, silent under --json and off when stderr is not a terminal. ora 9.4.1
 * busy-loops on a TTY reporting 0 columns (TOOLCHAIN.md), so that case is treated as no TTY.
 */
export async function startProgress(text: string, json: boolean): Promise<Progress> {
  const enabled = !json && process.stderr.isTTY === true && (process.stderr.columns ?? 0) > 0
  if (!enabled) return silent
  const { default: ora } = await import('ora')
  const spinner: Ora = ora({ text, stream: process.stderr, isEnabled: true, discardStdin: false }).start()
  return {
    update: (t) => {
      spinner.text = t
    },
    log: (line) => {
      spinner.clear()
      process.stdout.write(`${line}\n`)
      spinner.render()
    },
    succeed: (t) => spinner.succeed(t),
    fail: (t) => spinner.fail(t),
    stop: () => spinner.stop(),
  }
}
