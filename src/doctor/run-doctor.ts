import { existsSync } from 'node:fs'
import type { ResolvedConfig } from '../config/config.js'
import type { AsteriaError } from '../core/errors.js'
import { fixturePath } from '../core/util/package-paths.js'
import { ollamaUrl } from '../ollama/host.js'
import { modelCapabilities, probeOllama } from '../ollama/probe.js'
import type { DoctorCheck, DoctorReport } from './doctor-check.js'
import { judgeCheck, ollamaCheck, ollamaEmbedderCheck } from './ollama-checks.js'
import { postgresCheck } from './postgres-check.js'
import { sourceCheck } from './source-check.js'
import { storeCheck } from './store-check.js'

export type { CheckStatus, DoctorCheck, DoctorReport } from './doctor-check.js'

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
