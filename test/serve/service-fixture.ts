import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { openAsteria, type Asteria } from '../../src/asteria.js'
import { resolveConfig, type AsteriaConfig } from '../../src/config/config.js'
import { sharedDataDir } from '../helpers/shared-data.js'
import { TokenTable } from '../../src/serve/auth.js'
import { startService, type RunningService, type ServiceOptions } from '../../src/serve/service.js'

export interface StartOptions extends Omit<ServiceOptions, 'tokens'> {
  /** token -> namespace */
  tokens?: Record<string, string>
  config?: Partial<AsteriaConfig>
  /** Wraps the opened Asteria (e.g. to gate or break `ask`) before the service gets it. */
  wrap?: (asteria: Asteria) => Asteria
}

export interface TestService {
  url: string
  service: RunningService
  /** The real Asteria (unwrapped): its cache file is `db`. */
  asteria: Asteria
  db: string
}

/**
 * A real service on 127.0.0.1 with a free port, over a fresh cache file, per call; the corpus
 * indexes are the run's (shared-data.ts). Everything is closed after each test: the service
 * first, then the cache.
 */
export function useService(): (options?: StartOptions) => Promise<TestService> {
  const open: { service: RunningService; asteria: Asteria; dir: string }[] = []
  afterEach(async () => {
    for (const { service, asteria, dir } of open.splice(0)) {
      await service.close()
      await asteria.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
  return async (options = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'asteria-serve-'))
    const db = join(dir, 'cache.sqlite')
    const asteria = await openAsteria(testConfig(db, sharedDataDir(), dir, options.config))
    const { tokens, wrap, config: _config, ...serviceOptions } = options
    try {
      const service = await startService(wrap ? wrap(asteria) : asteria, {
        port: 0,
        ...serviceOptions,
        tokens: tokens ? new TokenTable(tokens) : undefined,
      })
      open.push({ service, asteria, dir })
      return { url: service.url, service, asteria, db }
    } catch (error) {
      await asteria.close()
      rmSync(dir, { recursive: true, force: true })
      throw error
    }
  }
}

/** Defaults plus the test's cache file and data folder; no user config, no source latency. */
export function testConfig(db: string, dataDir: string, dir: string, extra: Partial<AsteriaConfig> = {}): AsteriaConfig {
  return resolveConfig({ db, dataDir, latencyMs: 0, ...extra }, { ASTERIA_CONFIG_DIR: join(dir, 'config') }, dir).config
}

export interface Answer<T = any> {
  status: number
  body: T
  text: string
}

/** One HTTP request with a JSON body (or raw text), answered with the parsed JSON. */
export async function call<T = any>(
  url: string,
  method: string,
  path: string,
  options: { json?: unknown; body?: string; token?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.json !== undefined) headers['content-type'] = 'application/json'
  if (options.token) headers.authorization = `Bearer ${options.token}`
  const response = await fetch(url + path, { method, headers, body: options.json !== undefined ? JSON.stringify(options.json) : options.body })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : undefined, text }
}

/** A promise and the functions that settle it, to hold work at a known point. */
export function gate<T = void>() {
  let open!: (value: T) => void
  const promise = new Promise<T>((resolve) => (open = resolve))
  return { promise, open }
}

export const AUTHOR = 'who wrote the declaration of independence'
export const AUTHOR_PARAPHRASE = 'who was the author of the declaration of independence'
