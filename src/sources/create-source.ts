import type { SourceConfig, SourceName } from '../config/source-config.js'
import { AsteriaError } from '../core/errors.js'
import { CircuitBreakerSource } from './circuit-breaker.js'
import { BraveSource } from './brave.js'
import { createLocalSource } from './default-source.js'
import { createDocsSource } from './docs-corpus.js'
import { HttpJsonSource } from './http-json-source.js'
import { SourceHttpClient } from './http-client.js'
import type { KnowledgeSource } from '../core/ports/knowledge-source.js'
import { SearxngSource } from './searxng.js'
import type { Sleep } from './simulated-region.js'
import { TavilySource } from './tavily.js'
import { WikipediaSource } from './wikipedia.js'

export interface SourceSettings extends SourceConfig {
  /** Where the local corpora build their indexes. */
  dataDir: string
  /** Simulated remote latency of the local corpora, ms: a number or [min, max]. */
  latencyMs: number | [number, number]
  /** Simulated price per call of the local corpora. */
  priceUsd: number
}

export interface CreateSourceOptions {
  /** Where API keys are read from (never stored or printed). */
  env?: NodeJS.ProcessEnv
  /** Backoff and simulated-latency waits; tests inject one that does not wait. */
  sleep?: Sleep
  fetch?: typeof fetch
}

/** The knowledge source called `name`, configured from the settings. */
export function createSource(name: SourceName, settings: SourceSettings, options: CreateSourceOptions = {}): KnowledgeSource {
  const source = createBareSource(name, settings, options)
  // The local corpora cannot go down; web sources get a circuit breaker.
  return name === 'local' || name === 'docs' ? source : new CircuitBreakerSource(source)
}

function createBareSource(name: SourceName, settings: SourceSettings, options: CreateSourceOptions): KnowledgeSource {
  const env = options.env ?? process.env
  const latency = Array.isArray(settings.latencyMs) ? { minMs: settings.latencyMs[0], maxMs: settings.latencyMs[1] } : settings.latencyMs
  const http = (source: string, secrets: string[] = [], credentialsHint?: string) =>
    new SourceHttpClient({
      source,
      timeoutMs: settings.sourceTimeoutMs,
      retries: settings.sourceRetries,
      sleep: options.sleep,
      fetch: options.fetch,
      secrets,
      credentialsHint,
    })
  switch (name) {
    case 'local':
      return createLocalSource({ dataDir: settings.dataDir, latency, priceUsd: settings.priceUsd, sleep: options.sleep })
    case 'docs':
      return createDocsSource({ dataDir: settings.dataDir, latency, priceUsd: settings.priceUsd, sleep: options.sleep })
    case 'wikipedia':
      return new WikipediaSource({ apiUrl: settings.wikipediaUrl, http: http('wikipedia') })
    case 'searxng':
      return new SearxngSource({ baseUrl: settings.searxngUrl, http: http('searxng', [], 'Enable the JSON format: add json to search.formats in the instance\'s settings.yml.') })
    case 'tavily': {
      const apiKey = requireKey(env, 'TAVILY_API_KEY', 'tavily', 'https://app.tavily.com')
      const hint = 'Check TAVILY_API_KEY (a key from https://app.tavily.com, starting with tvly-).'
      return new TavilySource({ baseUrl: settings.tavilyUrl, apiKey, priceUsd: settings.sourcePriceUsd, http: http('tavily', [apiKey], hint) })
    }
    case 'brave': {
      const apiKey = requireKey(env, 'BRAVE_API_KEY', 'brave', 'https://api-dashboard.search.brave.com')
      const hint = 'Check BRAVE_API_KEY (a subscription token from https://api-dashboard.search.brave.com).'
      return new BraveSource({ baseUrl: settings.braveUrl, apiKey, priceUsd: settings.sourcePriceUsd, http: http('brave', [apiKey], hint) })
    }
    case 'http': {
      const spec = settings.httpSource
      if (spec === undefined) {
        throw new AsteriaError('CONFIG', 'The http source needs a description of the endpoint; none is configured.', {
          suggestions: ['Set ASTERIA_HTTP_SOURCE to a JSON file like {"url": "https://host/search?q={query}", "resultPath": "results", "fields": {"text": "snippet", "title": "title", "url": "link"}}.'],
        })
      }
      const secretHeaders: Record<string, string> = {}
      for (const [header, variable] of Object.entries(spec.headersFromEnv ?? {})) {
        secretHeaders[header] = requireKey(env, variable, spec.name ?? 'http', `the provider of ${spec.url.split('?')[0]}`)
      }
      const source = spec.name ?? 'http'
      const hint = `Check ${Object.values(spec.headersFromEnv ?? {}).join(', ') || 'the headers in the http source configuration'}.`
      return new HttpJsonSource({ spec, secretHeaders, http: http(source, Object.values(secretHeaders), hint) })
    }
    default:
      throw new AsteriaError('CONFIG', `Unknown knowledge source "${String(name)}".`, {
        suggestions: ['Use one of local, docs, wikipedia, searxng, tavily, brave, http.'],
      })
  }
}

function requireKey(env: NodeJS.ProcessEnv, variable: string, source: string, where: string): string {
  const value = env[variable]?.trim()
  if (!value) {
    throw new AsteriaError('SOURCE', `The ${source} source needs an API key in the environment variable ${variable}; it is not set.`, {
      suggestions: [`Get a key from ${where} and export ${variable}=... (it is read from the environment only, never stored)`, 'Or use the built-in source: ASTERIA_SOURCE=local (or "source": "local" in asteria.config.json).'],
    })
  }
  return value
}
