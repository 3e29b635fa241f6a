import { Ollama } from 'ollama'

export interface OllamaProbe {
  reachable: boolean
  host: string
  version?: string
  models: string[]
  error?: string
}

/** Is an Ollama server answering at `host`, and which models does it have? Never throws. */
export async function probeOllama(host: string, timeoutMs = 1500): Promise<OllamaProbe> {
  const client = new Ollama({
    host,
    fetch: (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
  })
  try {
    const { version } = await client.version()
    const { models } = await client.list()
    return { reachable: true, host, version, models: models.map((m) => m.name) }
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause
    return { reachable: false, host, models: [], error: cause?.code ?? (error as Error).message }
  }
}

/** "nomic-embed-text" matches "nomic-embed-text:latest". */
export function hasModel(probe: OllamaProbe, model: string): boolean {
  const wanted = model.includes(':') ? model : `${model}:latest`
  return probe.models.some((m) => m === model || m === wanted)
}
