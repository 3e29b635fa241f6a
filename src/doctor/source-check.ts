import { existsSync } from 'node:fs'
import type { AsteriaConfig } from '../config/config.js'
import { isAsteriaError } from '../core/errors.js'
import { fixturePath } from '../core/util/package-paths.js'
import { createSource } from '../sources/create-source.js'
import type { DoctorCheck } from './doctor-check.js'

function formatLatency(latency: number | [number, number]): string {
  return Array.isArray(latency) ? `${latency[0]}–${latency[1]} ms` : `${latency} ms`
}

/** The configured search source: the built-in corpus, or a web source whose settings and key are checked (not called). */
export function sourceCheck(config: AsteriaConfig): DoctorCheck {
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
