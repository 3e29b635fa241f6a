import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { didYouMean } from '../core/util/did-you-mean.js'
import { COMMAND_LINE, settingSubject } from './setting-subject.js'
import { AsteriaError, isAsteriaError } from '../core/errors.js'
import { BUDGET_ENV_KEYS, BUDGET_VALIDATORS, defaultBudgetConfig, type BudgetConfig } from './budget-config.js'
import { defaultSourceConfig, SOURCE_ENV_KEYS, SOURCE_VALIDATORS, type SourceConfig } from './source-config.js'
import { redactStoreUrl, validateStoreUrl } from './store-config.js'

import { JUDGE_KINDS, type JudgeKind } from '../judge/judge-kind.js'

export type EmbedderKind = 'static' | 'ollama' | 'openai'
export type { JudgeKind }

/** Everything a user can configure; see README, "Configuration". */
export interface AsteriaConfig extends BudgetConfig, SourceConfig {
  /** Shared tier: postgres://… (PostgreSQL + pgvector); the cache file stays this machine's hot tier. */
  storeUrl?: string
  /** Make hits take at least this long (ms), so response time does not reveal what is cached. */
  padHitsMs?: number
  /** The cache file. */
  db: string
  /** Folder for derived files (the corpus index). */
  dataDir: string
  namespace: string
  embedder: EmbedderKind
  /** Model name for ollama / openai embedders. */
  embedderModel: string
  ollamaHost: string
  openaiBaseUrl: string
  /** auto (Ollama when it has the model, else the guard), ollama, guard or none. */
  judge: JudgeKind
  /** Chat model of the Ollama judge (and of staticity scoring). */
  judgeModel: string
  /** Ollama server of the judge; default: ollamaHost. */
  judgeHost?: string
  /** Judge requests at once on the shared Ollama server. */
  judgeConcurrency: number
  /** A look-up waits for the judge at most this share of the source's recorded latency (and judgeTimeoutMs). */
  judgeDeadlineFraction: number
  /** A guard-passing candidate at or above this similarity skips the judge (unset: never). */
  judgeSkipAbove?: number
  /** One judge request per look-up for all its candidates, instead of one each. */
  judgeBatch: boolean
  tauSim?: number
  tauJudge?: number
  k: number
  /** Simulated remote latency of the local source, ms: a number or [min, max]. */
  latencyMs: number | [number, number]
  priceUsd: number
  sideEffectTools: string[]
  /** TTL for staticity 1..10, ms. */
  ttlByStaticity?: number[]
  judgeTimeoutMs: number
  embedTimeoutMs: number
}

export type ConfigOrigin = 'default' | 'user config' | 'project config' | 'environment' | 'flag'

export interface ResolvedConfig {
  config: AsteriaConfig
  /** Where each value came from (shown by `asteria doctor`). */
  origins: Record<keyof AsteriaConfig, ConfigOrigin>
  files: string[]
}

export function dataHome(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'asteria')
}

export function configHome(env: NodeJS.ProcessEnv): string {
  return env.ASTERIA_CONFIG_DIR || join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'asteria')
}

export function defaultConfig(env: NodeJS.ProcessEnv): AsteriaConfig {
  const data = dataHome(env)
  return {
    ...defaultBudgetConfig(),
    ...defaultSourceConfig(),
    db: join(data, 'cache.sqlite'),
    dataDir: data,
    namespace: 'default',
    embedder: 'static',
    embedderModel: 'nomic-embed-text',
    ollamaHost: 'http://127.0.0.1:11434',
    openaiBaseUrl: 'http://127.0.0.1:1234/v1',
    judge: 'guard',
    judgeModel: 'qwen3:0.6b',
    judgeConcurrency: 1,
    judgeDeadlineFraction: 1,
    judgeBatch: false,
    k: 8,
    latencyMs: [300, 500],
    priceUsd: 0.005,
    sideEffectTools: [],
    judgeTimeoutMs: 2000,
    embedTimeoutMs: 30_000,
  }
}

const ENV_KEYS: Record<string, keyof AsteriaConfig> = {
  ...BUDGET_ENV_KEYS,
  ...SOURCE_ENV_KEYS,
  ASTERIA_STORE_URL: 'storeUrl',
  ASTERIA_PAD_HITS_MS: 'padHitsMs',
  ASTERIA_DB: 'db',
  ASTERIA_DATA_DIR: 'dataDir',
  ASTERIA_NAMESPACE: 'namespace',
  ASTERIA_EMBEDDER: 'embedder',
  ASTERIA_EMBEDDER_MODEL: 'embedderModel',
  OLLAMA_HOST: 'ollamaHost',
  ASTERIA_OPENAI_BASE_URL: 'openaiBaseUrl',
  ASTERIA_JUDGE: 'judge',
  ASTERIA_JUDGE_MODEL: 'judgeModel',
  ASTERIA_JUDGE_HOST: 'judgeHost',
  ASTERIA_TAU_SIM: 'tauSim',
  ASTERIA_LATENCY_MS: 'latencyMs',
  ASTERIA_PRICE_USD: 'priceUsd',
}

type Validator = (value: unknown) => unknown

const num = (min: number, max: number): Validator => (v) => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v
  if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max) throw new Error(`a number from ${min} to ${max}`)
  return n
}
const str: Validator = (v) => {
  if (typeof v !== 'string' || v.trim() === '') throw new Error('a non-empty string')
  return v
}
const oneOf = (...values: string[]): Validator => (v) => {
  if (typeof v !== 'string' || !values.includes(v)) throw new Error(`one of ${values.join(', ')}`)
  return v
}
const latency: Validator = (v) => {
  if (typeof v === 'string' && v.includes('-')) v = v.split('-').map(Number)
  if (Array.isArray(v) && v.length === 2 && v.every((x) => Number.isFinite(x) && x >= 0) && v[0] <= v[1]) return v
  return num(0, 600_000)(v)
}
const bool: Validator = (v) => {
  if (v === 'true' || v === '1') return true
  if (v === 'false' || v === '0') return false
  if (typeof v !== 'boolean') throw new Error('true or false')
  return v
}
const stringList: Validator = (v) => {
  if (typeof v === 'string') v = v.split(',').map((s) => s.trim()).filter(Boolean)
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error('a list of strings')
  return v
}
const ttlTable: Validator = (v) => {
  if (!Array.isArray(v) || v.length !== 10 || !v.every((x) => Number.isFinite(x) && x > 0)) throw new Error('a list of 10 positive TTLs in ms')
  return v
}

const VALIDATORS: Record<keyof AsteriaConfig, Validator> = {
  ...BUDGET_VALIDATORS,
  ...SOURCE_VALIDATORS,
  storeUrl: validateStoreUrl,
  padHitsMs: num(0, 60_000),
  db: str, dataDir: str, namespace: str, embedderModel: str, ollamaHost: str, openaiBaseUrl: str,
  embedder: oneOf('static', 'ollama', 'openai'),
  judge: oneOf(...JUDGE_KINDS),
  judgeModel: str, judgeHost: str, judgeConcurrency: num(1, 64), judgeDeadlineFraction: num(0.01, 100), judgeSkipAbove: num(-1, 1), judgeBatch: bool,
  tauSim: num(-1, 1), tauJudge: num(0, 1), k: num(1, 100), latencyMs: latency, priceUsd: num(0, 100),
  sideEffectTools: stringList, ttlByStaticity: ttlTable, judgeTimeoutMs: num(1, 600_000), embedTimeoutMs: num(1, 600_000),
}

export const CONFIG_KEYS = Object.keys(VALIDATORS) as (keyof AsteriaConfig)[]

function validate(key: string, value: unknown, where: string): unknown {
  const validator = Object.hasOwn(VALIDATORS, key) ? VALIDATORS[key as keyof AsteriaConfig] : undefined
  if (!validator) {
    const near = didYouMean(key, CONFIG_KEYS)
    throw new AsteriaError('CONFIG', `Unknown setting "${key}" in ${where}.`, {
      suggestions: [near ? `Did you mean "${near}"?` : `Known settings: ${CONFIG_KEYS.join(', ')}.`],
    })
  }
  try {
    return validator(value)
  } catch (error) {
    const shown = key === 'storeUrl' && typeof value === 'string' ? redactStoreUrl(value) : typeof value === 'string' && value.length > 80 ? `${value.slice(0, 77)}...` : value
    const variable = /\((\w+)\)$/.exec(where)?.[1]
    const typed = where === COMMAND_LINE
    const remedy = typed ? `Fix ${settingSubject(key, where)}` : variable ? `Fix or unset ${variable}` : `Fix ${key} in ${where}, or remove it`
    // A bad flag value is bad input (exit 2); a bad file or environment value is a configuration error (exit 3).
    throw new AsteriaError(typed ? 'BAD_INPUT' : 'CONFIG', `Expected ${settingSubject(key, where)} to be ${(error as Error).message}, received ${JSON.stringify(shown)}.`, {
      suggestions: [`${remedy}${typed ? '' : ' to use the default'}: see "Configuration" in the README.`],
    })
  }
}

function readConfigFile(path: string): Record<string, unknown> | undefined {
  if (!existsSync(path)) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new AsteriaError('CONFIG', `The configuration file ${path} is not valid JSON: ${(error as Error).message}.`, {
      suggestions: ['Fix the file, or move it away to use the defaults.'],
    })
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AsteriaError('CONFIG', `Expected ${path} to hold a JSON object of settings, received ${Array.isArray(parsed) ? 'an array' : typeof parsed}.`)
  }
  return parsed as Record<string, unknown>
}

/**
 * What a caller hands resolveConfig: each setting typed, or as the text a flag gave ("64KB",
 * "0.7"), which is validated and converted like a value from a file or the environment.
 */
export type ConfigInput = { [K in keyof AsteriaConfig]?: AsteriaConfig[K] | string }

/**
 * Precedence, lowest first: defaults, user config file, project config file
 * (./asteria.config.json), ASTERIA_* environment, flags the user typed. A bad setting throws,
 * unless `onInvalid` is given: it is then told, and that setting (or unreadable file) is skipped.
 */
export function resolveConfig(
  flags: ConfigInput,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
  onInvalid?: (error: AsteriaError) => void,
): ResolvedConfig {
  const config = defaultConfig(env) as unknown as Record<string, unknown>
  const origins = Object.fromEntries(CONFIG_KEYS.map((k) => [k, 'default'])) as Record<keyof AsteriaConfig, ConfigOrigin>
  const files: string[] = []
  const tolerate = <T>(work: () => T): T | undefined => {
    if (!onInvalid) return work()
    try {
      return work()
    } catch (error) {
      if (!isAsteriaError(error) || error.code !== 'CONFIG') throw error
      onInvalid(error)
      return undefined
    }
  }
  const apply = (values: Record<string, unknown>, origin: ConfigOrigin, where: string) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) continue
      tolerate(() => {
        config[key] = validate(key, value, where)
        origins[key as keyof AsteriaConfig] = origin
      })
    }
  }
  for (const [path, origin] of [
    [join(configHome(env), 'config.json'), 'user config'],
    [resolve(cwd, 'asteria.config.json'), 'project config'],
  ] as const) {
    const values = tolerate(() => readConfigFile(path))
    if (existsSync(path) && !values) files.push(path)
    if (values) {
      files.push(path)
      // A file named in a config file is relative to that file, not to where asteria runs.
      const spec = values.httpSource
      if (typeof spec === 'string' && !spec.trim().startsWith('{')) values.httpSource = resolve(dirname(path), spec)
      apply(values, origin, path)
    }
  }
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    if (env[name] !== undefined && env[name] !== '') apply({ [key]: env[name] }, 'environment', `the environment (${name})`)
  }
  apply(flags as Record<string, unknown>, 'flag', COMMAND_LINE)
  return { config: config as unknown as AsteriaConfig, origins, files }
}
