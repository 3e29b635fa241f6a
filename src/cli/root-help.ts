import { Help } from '@oclif/core/help'

/** What a first-time user types, shown under `asteria --help` (each command's help has its own). */
const EXAMPLES: [command: string, what: string][] = [
  ['asteria demo', 'hits and safe misses, explained (offline)'],
  ['asteria run --tasks search-disflqa', 'agent tasks through the cache'],
  ['asteria query "what caused the black death" --json', 'one look-up and its decision record'],
  ['asteria cache inspect', 'what is stored'],
  ['asteria bench --quick', 'strategies side by side (~30 s)'],
  ['asteria serve --port 8787', 'HTTP API, /search and MCP'],
  ['asteria doctor', 'what is real, what is built in'],
]

/** oclif's help with an EXAMPLES section on the root page. */
export default class RootHelp extends Help {
  override formatRoot(): string {
    const width = Math.max(...EXAMPLES.map(([command]) => command.length))
    const lines = EXAMPLES.map(([command, what]) => `$ ${command.padEnd(width)}  # ${what}`)
    return `${super.formatRoot()}\n\n${this.section('EXAMPLES', lines.join('\n'))}`
  }
}
