import chalk from 'chalk'

/** chalk 5 ignores NO_COLOR on a TTY, so the choice is applied here once per run. */
export function applyColorChoice(flag: boolean | undefined, env: NodeJS.ProcessEnv): void {
  const off = flag === false || (flag === undefined && env.NO_COLOR !== undefined && env.NO_COLOR !== '')
  if (off) chalk.level = 0
}

export { chalk }
