import { existsSync } from 'node:fs'
import type { AsteriaConfig, ResolvedConfig } from '../config/config.js'
import { isAsteriaError, type AsteriaError } from '../core/errors.js'
import { fixturePath } from '../core/util/package-paths.js'
import { ollamaUrl } from '../ollama/host.js'
import { modelCapabilities, probeOllama } from '../ollama/probe.js'
import { createSource } from '../sources/create-source.js'
import { openDatabase } from '../store/sqlite/open-store.js'
import { isWritableCacheFile } from '../store/sqlite/read-only-file.js'
import { READ_ONLY_COMMANDS } from '../store/store-errors.js'
import { judgeCheck, ollamaCheck, ollamaEmbedderCheck } from './ollama-checks.js'
import { postgresCheck } from './postgres-check.js'

export type CheckStatus = 'ok' | 'embedded' | 'warn' | 'error'

export interface DoctorCheck {
  part: string
  status: CheckStatus
  detail: string
  /** The exact command that fixes or upgrades this part, when there is one. */
  fix?: string
}

export interface DoctorReport {
  checks: DoctorCheck[]
  ok: boolean
  configFiles: string[]
}

/** Which parts are real and which are embedded defaults, and how to get the rest. */
export async function runDoctor(resolved: ResolvedConfig, configErrors: AsteriaError[] = []): Promise<DoctorReport> {
  const { config } = resolved
  const checks: DoctorCheck[] = []
  // Each bad setting is a failed check; the others run with that setting at its default.
  for (const error of configErrors) {
    checks.push({ part: 'config', status: 'error', detail: `${error.message.replace(/\.$/, '')} (ignored: the checks below run without it)`, fix: error.suggestions[0] ?? 'fix or remove that setting' })
  }
  const host = ollamaUrl(config.ollamaHost)
  const ollama = await probeOllama(host)

  checks.push(storeCheck(config.db))
  checks.push(await postgresCheck(config.storeUrl))

  if (config.embedder === 'static') {
    const present = existsSync(fixturePath('vectors'))
    checks.push({
      part: 'embedder',
      status: present ? 'embedded' : 'error',
      detail: present ? 'static (GloVe 50-d + character n-grams, built in)' : 'the built-in vectors are missing from fixtures/vectors',
      fix: present ? `for better recall: ollama pull ${config.embedderModel} && asteria ... --embedder ollama` : 'reinstall asteria',
    })
  } else if (config.embedder === 'ollama') {
    checks.push(ollamaEmbedderCheck(config, ollama, ollama.reachable ? await modelCapabilities(host, config.embedderModel) : undefined))
  } else {
    checks.push({ part: 'embedder', status: 'ok', detail: `openai-compatible ${config.embedderModel} at ${config.openaiBaseUrl} (checked on first use)` })
  }

  const judgeHost = ollamaUrl(config.judgeHost ?? config.ollamaHost)
  checks.push(judgeCheck(config, judgeHost === host ? ollama : await probeOllama(judgeHost)))

  checks.push(sourceCheck(config))
  checks.push(ollamaCheck(ollama))

  return { checks, ok: checks.every((c) => c.status !== 'error'), configFiles: resolved.files }
}

function formatLatency(latency: number | [number, number]): string {
  return Array.isArray(latency) ? `${latency[0]}–${latency[1]} ms` : `${latency} ms`
}

/** The configured search source: the built-in corpus, or a web source whose settings and key are checked (not called). */
function sourceCheck(config: AsteriaConfig): DoctorCheck {
  if (config.source === 'local') {
    const corpus = fixturePath('corpus', 'wiki-paragraphs.jsonl.gz')
    return {
      part: 'source',
      status: existsSync(corpus) ? 'embedded' : 'error',
      detail: existsSync(corpus)
        ? `local Wikipedia paragraphs (FTS5) behind a simulated remote region: ${formatLatency(config.latencyMs)}, $${config.priceUsd} per call`
        : 'the built-in corpus is missing from fixtures/corpus',
    }
  }
  try {
    const source = createSource(config.source, config)
    void source.close?.()
    return { part: 'source', status: 'ok', detail: `${source.name}, $${source.pricePerCallUsd} per call (reached on first use)` }
  } catch (error) {
    const suggestion = isAsteriaError(error) ? error.suggestions[0] : undefined
    return { part: 'source', status: 'error', detail: (error as Error).message, ...(suggestion ? { fix: suggestion } : {}) }
  }
}

function storeCheck(path: string): DoctorCheck {
  if (!existsSync(path)) return { part: 'store', status: 'ok', detail: `${path} (created on first use)` }
  try {
    const db = openDatabase(path, { readonly: true })
    const { v } = db.prepare('SELECT vec_version() AS v').get() as { v: string }
    const { s } = db.prepare('SELECT sqlite_version() AS s').get() as { s: string }
    const { n } = db.prepare('SELECT count(*) AS n FROM elements').get() as { n: number }
    const schema = db.pragma('user_version', { simple: true })
    db.close()
    const detail = `${path} (SQLite ${s}, sqlite-vec ${v}, schema ${schema}, ${n} elements)`
    if (!isWritableCacheFile(path)) {
      return { part: 'store', status: 'warn', detail: `${detail}, read-only for this user: look-ups cannot store answers`, fix: `read-only commands work on it (${READ_ONLY_COMMANDS}); to store, pass --db with a file you can write` }
    }
    return { part: 'store', status: 'ok', detail }
  } catch (error) {
    return { part: 'store', status: 'error', detail: (error as Error).message, fix: 'pass --db with another path, or set ASTERIA_DB' }
  }
}
