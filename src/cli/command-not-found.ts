import { Errors, type Hook } from '@oclif/core'
import { didYouMean } from '../core/did-you-mean.js'

/**
 * oclif's hook for a command that does not exist: bad input (exit 2) naming the command the typo
 * most likely meant, as a JSON error under --json like every other error.
 */
const commandNotFound: Hook<'command_not_found'> = async function (options) {
  const words = options.id.split(':')
  const commands = options.config.commandIDs.map((id) => id.replaceAll(':', ' '))
  // oclif joins the arguments after a command it does not know into the id: "quary:who:wrote".
  let typed = words.join(' ')
  let near: string | undefined
  for (let n = Math.min(words.length, 2); n >= 1 && !near; n--) {
    near = didYouMean(words.slice(0, n).join(' '), commands)
    if (near) typed = words.slice(0, n).join(' ')
  }
  if (!near) typed = words[0]
  const message = typed.startsWith('-') ? `Expected a command before "${typed}", received none.` : `Unknown command "${typed}".`
  const suggestion = near ? `Did you mean \`asteria ${near}\`?` : 'Run `asteria --help` for the commands, each with examples.'
  if (options.argv?.includes('--json')) {
    process.stdout.write(JSON.stringify({ error: { code: 'BAD_INPUT', message, exitCode: 2, suggestions: [suggestion] } }, null, 2) + '\n')
    this.exit(2)
  }
  throw new Errors.CLIError(message, { exit: 2, suggestions: [suggestion] })
}

export default commandNotFound
