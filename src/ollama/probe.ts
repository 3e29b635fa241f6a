import type { Ollama } from 'ollama'
import { ollamaClients } from './client.js'

export interface OllamaProbe {
  reachable: boolean
  host: string
  version?: string
  models: string[]
  error?: string
}

/**
 * Is an Ollama server answering at `host`, which version, and which models does it have? Never
 * throws. Through the guarded fetch like every other Ollama call: the client console.logs a
 * non-JSON error body to stdout, which a host that is not Ollama would send into --json output.
 */
export async function probeOllama(host: string, timeoutMs = 1500, baseFetch: typeof fetch = globalThis.fetch): Promise<OllamaProbe> {
  try {
    const client = await clientAt(host, timeoutMs, baseFetch)
    const { version } = await client.version()
    const { models } = await client.list()
    return { reachable: true, host, version, models: models.map((m) => m.name) }
  } catch (error) {
    return { reachable: false, host, models: [], error: failure(error) }
  }
}

/**
 * What the model can do as /api/show reports it ("completion", "embedding", "tools", "thinking"),
 * or undefined when the server does not say (capabilities arrived in Ollama 0.6.4) or cannot be asked.
 */
export async function modelCapabilities(host: string, model: string, timeoutMs = 1500, baseFetch: typeof fetch = globalThis.fetch): Promise<string[] | undefined> {
  try {
    const { capabilities } = await (await clientAt(host, timeoutMs, baseFetch)).show({ model })
    return Array.isArray(capabilities) ? capabilities : undefined
  } catch {
    return undefined
  }
}

/** "nomic-embed-text" matches "nomic-embed-text:latest". */
export function hasModel(probe: OllamaProbe, model: string): boolean {
  const wanted = model.includes(':') ? model : `${model}:latest`
  return probe.models.some((m) => m === model || m === wanted)
}

async function clientAt(host: string, timeoutMs: number, baseFetch: typeof fetch): Promise<Ollama> {
  return (await ollamaClients(host, timeoutMs, baseFetch))()
}

function failure(error: unknown): string {
  if (error instanceof SyntaxError) return 'it answered, but not as Ollama (the reply is not JSON)'
  const cause = (error as { cause?: { code?: string } }).cause
  return cause?.code ?? (error as Error).message
}
