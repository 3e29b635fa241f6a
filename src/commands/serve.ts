import { Flags } from '@oclif/core'
import { BaseCommand } from '../cli/base-command.js'
import { parseDuration } from '../cli/durations.js'
import { serviceBanner, serviceStopping } from '../report/serve-banner.js'
import { loadTokens, requireSafeBinding } from '../serve/auth.js'
import { DEFAULT_HOST, DEFAULT_PORT, startService } from '../serve/service.js'
import { closeOnSignals } from '../core/util/close-on-signals.js'

export default class Serve extends BaseCommand<typeof Serve> {
  static override summary = 'Serve the cache over HTTP: a JSON API, a SearXNG-compatible /search, and MCP at /mcp.'
  static override description =
    'Runs until Ctrl+C (SIGINT) or SIGTERM, then answers the requests in flight before closing the cache. ' +
    'Listens on 127.0.0.1 only unless given bearer tokens (--token-file or ASTERIA_TOKENS="<token>=<namespace>,..."); ' +
    'each token is confined to its namespace. The URL is printed on stderr; with --json, stdout gets one line {"listening": URL, "mcp": URL}.'

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --port 0 --json',
    '<%= config.bin %> <%= command.id %> --host 0.0.0.0 --token-file tokens.json',
    'ASTERIA_TOKENS="$(openssl rand -hex 32)=team-a" <%= config.bin %> <%= command.id %> --host 0.0.0.0 --log-level info',
  ]

  static override flags = {
    port: Flags.integer({ description: 'Port to listen on (0 picks a free one).', default: DEFAULT_PORT, min: 0, max: 65_535 }),
    host: Flags.string({ description: 'Address to listen on; other than loopback, tokens are required.', default: DEFAULT_HOST }),
    'token-file': Flags.string({ description: 'JSON file {"<token>": "<namespace>"}: bearer tokens and the namespace each is confined to.' }),
    'request-timeout': Flags.string({ description: 'Longest a request may take (90s, 2m); slower ones get 504.', default: '30s' }),
    'log-level': Flags.string({ description: 'Server log on stderr (info logs every request; never tokens).', options: ['silent', 'error', 'warn', 'info', 'debug'], default: 'warn' }),
  }

  async run(): Promise<void> {
    const { flags } = this
    const tokens = loadTokens({ file: flags['token-file'], list: process.env.ASTERIA_TOKENS })
    requireSafeBinding(flags.host, tokens)
    const requestTimeoutMs = parseDuration(flags['request-timeout'], '--request-timeout')
    const asteria = await this.asteria()
    const service = await startService(asteria, {
      host: flags.host,
      port: flags.port,
      tokens,
      requestTimeoutMs,
      version: this.config.version,
      logger: { level: flags['log-level'], stream: process.stderr },
    })
    const stopListening = closeOnSignals(() => {
      process.stderr.write(serviceStopping(service.inflight()) + '\n')
      return service.close()
    })
    process.stderr.write(serviceBanner({ url: service.url, namespace: asteria.config.namespace, tokens: tokens.size }) + '\n')
    if (this.jsonEnabled()) process.stdout.write(JSON.stringify({ listening: service.url, mcp: `${service.url}/mcp` }) + '\n')
    await service.closed
    stopListening()
  }
}
