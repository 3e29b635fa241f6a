import { BaseCommand } from '../cli/base-command.js'
import { serveMcpOverStdio } from '../serve/mcp-stdio.js'
import { closeOnSignals } from '../core/util/close-on-signals.js'

export default class Mcp extends BaseCommand<typeof Mcp> {
  static override summary = 'Serve the cache to an MCP client over stdio: tools search, search_docs and cache_stats.'
  static override description =
    'Start it from an MCP client configuration ({"command": "asteria", "args": ["mcp"]}). ' +
    'It stops when the client closes stdin, or on SIGINT/SIGTERM, after finishing the tool calls in flight. ' +
    'stdout carries MCP messages only; logs go to stderr. Over HTTP, `asteria serve` offers the same server at /mcp.'

  static override enableJsonFlag = false

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --namespace my-agent --db ~/agent-cache.sqlite',
    'npx @modelcontextprotocol/inspector <%= config.bin %> <%= command.id %>',
  ]

  async run(): Promise<void> {
    // A stray console.log from any dependency would corrupt the MCP stream on stdout.
    console.log = console.info = console.debug = console.error
    const asteria = await this.asteria()
    const session = await serveMcpOverStdio(asteria, {
      version: this.config.version,
      logError: (error) => process.stderr.write(`asteria mcp: ${(error as Error)?.stack ?? String(error)}\n`),
    })
    const stopListening = closeOnSignals(session.close)
    process.stderr.write(`Asteria MCP server on stdio (namespace "${asteria.config.namespace}", cache ${asteria.config.db}).\n`)
    await session.closed
    stopListening()
  }
}
