import type { AsteriaConfig } from './config.js'
import { ollamaUrl } from '../ollama/host.js'
import type { JudgeSettings } from '../judge/create-policy.js'

/** The judge part of a configuration; the judge's Ollama server defaults to the embedder's. */
export function judgeSettingsFrom(config: AsteriaConfig, extra: Partial<JudgeSettings> = {}): JudgeSettings {
  return {
    kind: config.judge,
    host: ollamaUrl(config.judgeHost ?? config.ollamaHost),
    model: config.judgeModel,
    timeoutMs: config.judgeTimeoutMs,
    concurrency: config.judgeConcurrency,
    deadlineFraction: config.judgeDeadlineFraction,
    skipAboveSimilarity: config.judgeSkipAbove,
    batch: config.judgeBatch,
    ...extra,
  }
}
