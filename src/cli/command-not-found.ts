import type { Hook } from '@oclif/core'
import { CLIError } from '@oclif/core/errors'
import { didYouMean } from '../core/util/did-you-mean.js'

/**
 * oclif's hook for a command that does not exist: bad input (exit 2) naming the command the typo
 * most likely meant, as a JSON error under --json like every other error.
 */
const commandNotFound: Hook<'command_not_found'> = async function (options) {
  // oclif joins the words after a command it does not know into the id: "quary:who:wrote".
  const words = options.id.split(':')
  const json = words.includes('--json') || (options.argv ?? []).includes('--json')
  const { message, suggestion } = explain(words, options.config.commandIDs.map((id) => id.replaceAll(':', ' ')), options.config.topics.map((t) => t.name))
  if (json) {
    process.stdout.write(JSON.stringify({ error: { code: 'BAD_INPUT', message, exitCode: 2, suggestions: [suggestion] } }, null, 2) + '\n')
    this.exit(2)
  }
  throw new CLIError(message, { exit: 2, suggestions: [suggestion] })
}

function explain(words: string[], commands: string[], topics: string[]): { message: string; suggestion: string } {
  if (words[0].startsWith('-')) {
    return { message: `Expected a command first, received the flag "${words[0]}".`, suggestion: 'Flags go after the command, e.g. `asteria query "what is dna" --json`; `asteria --help` lists the commands.' }
  }
  for (const n of [2, 1]) {
    const typed = words.slice(0, n).join(' ')
    const near = n <= words.length ? didYouMean(typed, commands) : undefined
    if (near) return { message: `Unknown command "${typed}".`, suggestion: `Did you mean \`asteria ${near}\`?` }
  }
  const topic = topics.find((t) => t === words[0])
  if (topic && words.length > 1) {
    return { message: `Unknown command "${topic} ${words[1]}".`, suggestion: `Run \`asteria ${topic} --help\` for its commands.` }
  }
  return { message: `Unknown command "${words[0]}".`, suggestion: 'Run `asteria --help` for the commands, each with examples.' }
}

export default commandNotFound
