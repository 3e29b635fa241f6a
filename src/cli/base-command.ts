import { Command, Errors, Flags, type Interfaces } from '@oclif/core'
import { resolveConfig, type ConfigInput, type ResolvedConfig } from '../config/config.js'
import { AsteriaError, isAsteriaError } from '../core/errors.js'
import type { Asteria } from '../asteria.js'
import { JUDGE_KINDS } from '../judge/judge-kind.js'
import { cacheFileError, isSqliteFileFailure } from '../store/store-errors.js'
import { applyColorChoice } from '../report/color.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>

/**
 * Shared flags, configuration precedence and error rendering for every command. Flags that
 * configuration can override carry no oclif default: only what the user typed wins.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true

  static override baseFlags = {
    db: Flags.string({ description: 'Cache file (default: $XDG_DATA_HOME/asteria/cache.sqlite; env ASTERIA_DB).', helpGroup: 'GLOBAL' }),
    namespace: Flags.string({ description: 'Namespace (tenant or project) whose elements may answer.', helpGroup: 'GLOBAL' }),
    embedder: Flags.string({ description: 'Embedder: static (built in), ollama or openai.', options: ['static', 'ollama', 'openai'], helpGroup: 'GLOBAL' }),
    'embedder-model': Flags.string({ description: 'Model for the ollama/openai embedder.', helpGroup: 'GLOBAL' }),
    judge: Flags.string({
      description: 'Hit policy: guard (rules, default), none (similarity only), learned (guard, then the offline pair classifier), ollama (guard, then a small Ollama model), auto (ollama when available, else guard).',
      options: [...JUDGE_KINDS],
      helpGroup: 'GLOBAL',
    }),
    'tau-sim': Flags.string({ description: 'Minimum cosine similarity for a candidate (overrides calibration).', helpGroup: 'GLOBAL' }),
    store: Flags.string({
      description: "Shared cache: postgres://user:password@host:5432/db (PostgreSQL + pgvector); the cache file stays this machine's hot tier (env ASTERIA_STORE_URL).",
      helpGroup: 'GLOBAL',
    }),
    color: Flags.boolean({ description: 'Colour output (--no-color or NO_COLOR turns it off).', allowNo: true, helpGroup: 'GLOBAL' }),
  }

  /** Commands that only read the cache set this: they work on a cache file this user may not write. */
  static readsOnly = false

  protected flags!: BaseFlags<T>
  protected args!: Interfaces.InferredArgs<T['args']>
  private opened: Asteria | undefined
  /** The cache file being opened or in use, named by a STORE error about it. */
  private cacheFile: string | undefined

  public override async init(): Promise<void> {
    await super.init()
    const { args, flags } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    }).catch((error: unknown) => {
      // Any flag or argument the parser refuses is bad input (exit 2), whatever oclif would exit with.
      const message = (error as Error).message.replace(/\s*See more help with --help\s*$/, '')
      throw new AsteriaError('BAD_INPUT', message, { suggestions: [`asteria ${(this.id ?? '').replaceAll(':', ' ')} --help`] })
    })
    this.flags = flags as BaseFlags<T>
    this.args = args as Interfaces.InferredArgs<T['args']>
    applyColorChoice(this.flags.color, process.env)
  }

  /** Configuration from defaults, files, environment and the flags typed, plus `extra` flag values. */
  protected resolveConfig(extra: ConfigInput = {}, onInvalid?: (error: AsteriaError) => void): ResolvedConfig {
    const f = this.flags as Record<string, string | undefined>
    const typed: ConfigInput = { db: f.db, namespace: f.namespace, embedder: f.embedder, embedderModel: f['embedder-model'], judge: f.judge, storeUrl: f.store, tauSim: f['tau-sim'] }
    return resolveConfig({ ...typed, ...extra }, process.env, process.cwd(), onInvalid)
  }

  /** Opens the cache (and its embedder) once per command run; closed in `finally`. */
  protected async asteria(extra: ConfigInput = {}): Promise<Asteria> {
    if (!this.opened) {
      const { config } = this.resolveConfig(extra)
      this.cacheFile = config.db
      // Loaded here, not at the top: `--help` and commands that never open the cache skip the store, embedders and judges.
      const [{ openAsteria }, { embedderChangeNotice }] = await Promise.all([import('../asteria.js'), import('../core/admin/reembed.js')])
      this.opened = await openAsteria(config, { readOnly: (this.ctor as typeof BaseCommand).readsOnly, onWarning: (message) => this.notice(`Warning: ${message}`) })
      if (this.opened.judge.notice) this.notice(this.opened.judge.notice)
      const changed = await embedderChangeNotice(this.opened.cache)
      if (changed) this.notice(changed)
    }
    return this.opened
  }

  public override async finally(error: Error | undefined): Promise<void> {
    await this.opened?.close()
    await super.finally(error)
  }

  /** Keeps each error's own exit code under --json (oclif would exit 1) and prints a short JSON error. */
  public override async catch(thrown: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    // SQLite finds a damaged page only when a statement reads it, which can be any statement.
    const error = (this.cacheFile && isSqliteFileFailure(thrown) && cacheFileError(this.cacheFile, thrown)) || thrown
    const exitCode = isAsteriaError(error) ? error.exitCode : (error.oclif?.exit ?? error.exitCode ?? 1)
    process.exitCode = exitCode
    if (this.jsonEnabled()) {
      this.logJson(this.toErrorJson(error))
      return
    }
    if (isAsteriaError(error)) {
      throw new Errors.CLIError(error.message, { exit: exitCode, suggestions: error.suggestions, code: error.code })
    }
    throw error
  }

  protected override toErrorJson(error: unknown): unknown {
    if (isAsteriaError(error)) return { error: error.toJSON() }
    const e = error as Error & { oclif?: { exit?: number }; code?: string }
    return { error: { code: e.code ?? 'ERROR', message: e.message, exitCode: e.oclif?.exit ?? 1, suggestions: [] } }
  }

  /** One line on stderr, also under --json (stdout stays the JSON result). */
  protected notice(text: string): void {
    process.stderr.write(`${text}\n`)
  }

  protected fail(code: ConstructorParameters<typeof AsteriaError>[0], message: string, suggestions: string[] = []): never {
    throw new AsteriaError(code, message, { suggestions })
  }
}
