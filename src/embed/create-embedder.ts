import { AsteriaError } from '../core/errors.js'
import type { Embedder } from '../core/ports/embedder.js'
import { ollamaUrl } from '../ollama/host.js'
import { createOllamaEmbedder } from './ollama-embedder.js'
import { createOpenAiEmbedder } from './openai-embedder.js'
import { loadStaticEmbedder } from './static-embedder.js'

export interface EmbedderSettings {
  kind: 'static' | 'ollama' | 'openai'
  model: string
  ollamaHost: string
  openaiBaseUrl: string
  timeoutMs: number
  env?: NodeJS.ProcessEnv
}

export async function createEmbedder(settings: EmbedderSettings): Promise<Embedder> {
  const env = settings.env ?? process.env
  switch (settings.kind) {
    case 'static':
      return loadStaticEmbedder()
    case 'ollama':
      return createOllamaEmbedder({ host: ollamaUrl(settings.ollamaHost), model: settings.model, timeoutMs: settings.timeoutMs })
    case 'openai':
      return createOpenAiEmbedder({
        baseUrl: settings.openaiBaseUrl,
        model: settings.model,
        apiKey: env.ASTERIA_OPENAI_API_KEY ?? env.OPENAI_API_KEY,
        timeoutMs: settings.timeoutMs,
      })
    default:
      throw new AsteriaError('CONFIG', `Unknown embedder "${String(settings.kind)}"; expected static, ollama or openai.`)
  }
}

/** The embedder settings of a configuration (AsteriaConfig has them all). */
export interface EmbedderConfig {
  embedder: EmbedderSettings['kind']
  embedderModel: string
  ollamaHost: string
  openaiBaseUrl: string
  embedTimeoutMs: number
}

/** The configured embedder: the one `openAsteria`, the bench and `asteria judge eval` use. */
export function embedderFromConfig(config: EmbedderConfig, env?: NodeJS.ProcessEnv): Promise<Embedder> {
  return createEmbedder({
    kind: config.embedder,
    model: config.embedderModel,
    ollamaHost: config.ollamaHost,
    openaiBaseUrl: config.openaiBaseUrl,
    timeoutMs: config.embedTimeoutMs,
    env,
  })
}
