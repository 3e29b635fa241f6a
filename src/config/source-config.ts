import { existsSync, readFileSync } from 'node:fs'
import { CODE_TOOL, DOCS_TOOL } from '../core/knowledge-tools.js'

export const SOURCE_NAMES = ['local', 'docs', 'wikipedia', 'searxng', 'tavily', 'brave', 'http'] as const
export type SourceName = (typeof SOURCE_NAMES)[number]

export const AGENT_KINDS = ['auto', 'ollama', 'replay'] as const
export type AgentKind = (typeof AGENT_KINDS)[number]

/** Whether the agent's model reasons before each step: Ollama's `think` (a boolean, or a level GPT-OSS needs). */
export const AGENT_THINK = ['off', 'on', 'low', 'medium', 'high'] as const
export type AgentThink = (typeof AGENT_THINK)[number]

/** Any JSON search endpoint, described in configuration (README, "Knowledge sources"). */
export interface HttpSourceSpec {
  /** Shown in reports and errors; default "http". */
  name?: string
  /** `{query}` (and `{k}`) are replaced, URL-encoded. */
  url: string
  method?: 'GET' | 'POST'
  /** JSON body for POST; string values equal to "{query}" or "{k}" are replaced. */
  body?: unknown
  /** Header name -> name of the environment variable holding its value (keys are never stored). */
  headersFromEnv?: Record<string, string>
  /** Non-secret headers sent as they are. */
  headers?: Record<string, string>
  /** Dotted path to the array of results in the response, e.g. "data.items" ("" for the body itself). */
  resultPath: string
  /** Dotted paths inside one result. */
  fields: { text: string; title?: string; url?: string; id?: string }
  priceUsd?: number
}

/** Settings of the knowledge sources and the agent, part of AsteriaConfig (config files, ASTERIA_* environment, flags). */
export interface SourceConfig {
  /** Source behind the `search` tool. */
  source: SourceName
  /** Source behind the coding agent's `search_docs` tool. */
  docsSource: SourceName
  /** Source behind the coding agent's `search_code` tool. */
  codeSource: SourceName
  wikipediaUrl: string
  searxngUrl: string
  tavilyUrl: string
  braveUrl: string
  httpSource?: HttpSourceSpec
  /** Overrides the price per call a web source declares, USD. */
  sourcePriceUsd?: number
  sourceTimeoutMs: number
  /** Retries after a 429, a 5xx or a dropped connection. */
  sourceRetries: number
  agent: AgentKind
  agentModel: string
  agentMaxSteps: number
  agentThink: AgentThink
}

/** Which configured source answers a tool: search_docs and search_code have settings of their own, every other tool uses `source`. */
export function sourceNameForTool(tool: string, settings: Pick<SourceConfig, 'source' | 'docsSource' | 'codeSource'>): SourceName {
  if (tool === DOCS_TOOL) return settings.docsSource
  if (tool === CODE_TOOL) return settings.codeSource
  return settings.source
}

export function defaultSourceConfig(): SourceConfig {
  return {
    source: 'local',
    docsSource: 'docs',
    codeSource: 'docs',
    wikipediaUrl: 'https://en.wikipedia.org/w/api.php',
    searxngUrl: 'http://127.0.0.1:8888',
    tavilyUrl: 'https://api.tavily.com',
    braveUrl: 'https://api.search.brave.com',
    sourceTimeoutMs: 10_000,
    sourceRetries: 2,
    agent: 'auto',
    agentModel: 'qwen3:8b',
    agentMaxSteps: 6,
    agentThink: 'off',
  }
}

export const SOURCE_ENV_KEYS: Record<string, keyof SourceConfig> = {
  ASTERIA_SOURCE: 'source',
  ASTERIA_DOCS_SOURCE: 'docsSource',
  ASTERIA_CODE_SOURCE: 'codeSource',
  ASTERIA_WIKIPEDIA_URL: 'wikipediaUrl',
  ASTERIA_SEARXNG_URL: 'searxngUrl',
  ASTERIA_TAVILY_URL: 'tavilyUrl',
  ASTERIA_BRAVE_URL: 'braveUrl',
  ASTERIA_HTTP_SOURCE: 'httpSource',
  ASTERIA_SOURCE_PRICE_USD: 'sourcePriceUsd',
  ASTERIA_SOURCE_TIMEOUT_MS: 'sourceTimeoutMs',
  ASTERIA_SOURCE_RETRIES: 'sourceRetries',
  ASTERIA_AGENT: 'agent',
  ASTERIA_AGENT_MODEL: 'agentModel',
  ASTERIA_AGENT_MAX_STEPS: 'agentMaxSteps',
  ASTERIA_AGENT_THINK: 'agentThink',
}

type Validator = (value: unknown) => unknown

const num = (min: number, max: number, integer = false): Validator => (v) => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v
  if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new Error(`${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`)
  }
  return n
}
const str: Validator = (v) => {
  if (typeof v !== 'string' || v.trim() === '') throw new Error('a non-empty string')
  return v
}
const httpUrl: Validator = (v) => {
  if (typeof v !== 'string' || !/^https?:\/\/[^\s/]+/.test(v)) throw new Error('an http(s) URL')
  return v.replace(/\/+$/, '')
}
const oneOf = (values: readonly string[]): Validator => (v) => {
  if (typeof v !== 'string' || !values.includes(v)) throw new Error(`one of ${values.join(', ')}`)
  return v
}

/** JSON text, or the path of a JSON file, holding an HttpSourceSpec. */
const httpSourceSpec: Validator = (v) => {
  let spec = v
  if (typeof v === 'string') {
    const text = existsSync(v) ? readFileSync(v, 'utf8') : v
    try {
      spec = JSON.parse(text)
    } catch {
      throw new Error('a JSON object (or the path of a JSON file) with url, resultPath and fields.text')
    }
  }
  const s = spec as Partial<HttpSourceSpec> | null
  if (s === null || typeof s !== 'object' || Array.isArray(s)) throw new Error('an object with url, resultPath and fields.text')
  if (s.method !== undefined && s.method !== 'GET' && s.method !== 'POST') throw new Error('an object whose method is GET or POST')
  if (typeof s.url !== 'string' || !/^https?:\/\//.test(s.url)) throw new Error('an object whose url is an http(s) URL')
  if (s.method !== 'POST' && !s.url.includes('{query}')) throw new Error('an object whose url contains {query} (or whose method is POST)')
  if (typeof s.resultPath !== 'string') throw new Error('an object with resultPath, the dotted path to the result array ("" for the body)')
  if (typeof s.fields?.text !== 'string') throw new Error('an object with fields.text, the dotted path to each result\'s text')
  for (const map of [s.headersFromEnv, s.headers]) {
    if (map !== undefined && (typeof map !== 'object' || !Object.values(map).every((x) => typeof x === 'string'))) {
      throw new Error('an object whose headers and headersFromEnv map header names to strings')
    }
  }
  return s
}

export const SOURCE_VALIDATORS: Record<keyof SourceConfig, Validator> = {
  source: oneOf(SOURCE_NAMES),
  docsSource: oneOf(SOURCE_NAMES),
  codeSource: oneOf(SOURCE_NAMES),
  wikipediaUrl: httpUrl,
  searxngUrl: httpUrl,
  tavilyUrl: httpUrl,
  braveUrl: httpUrl,
  httpSource: httpSourceSpec,
  sourcePriceUsd: num(0, 100),
  sourceTimeoutMs: num(1, 600_000),
  sourceRetries: num(0, 10, true),
  agent: oneOf(AGENT_KINDS),
  agentModel: str,
  agentMaxSteps: num(1, 50, true),
  agentThink: oneOf(AGENT_THINK),
}
