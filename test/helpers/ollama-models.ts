/**
 * The models and version of the Ollama test server, and what each version can do — taken from
 * ollama/ollama's source so that the server refuses what a real one of that version refuses.
 */
import { createHash } from 'node:crypto'

export interface ScriptedModel {
  name: string
  digest?: string
  size?: number
  family?: string
  parameterSize?: string
  quantization?: string
  /** As /api/show reports them; default by family (MODEL_FAMILIES). */
  capabilities?: string[]
  /** Reasons even with `think: false`, as GPT-OSS does ("the trace cannot be fully disabled", docs/capabilities/thinking.mdx). */
  alwaysThinks?: boolean
}

export const DEFAULT_MODELS = ['nomic-embed-text:latest', 'qwen3:0.6b']

/** The earliest release that returns logprobs (api/types.go ChatRequest.Logprobs first appears in v0.12.11). */
export const DEFAULT_VERSION = '0.12.11'

/** The release where each behaviour of the server starts, from ollama/ollama's git history. */
export const SINCE = {
  /** server/routes.go registers POST /api/embed. */
  embed: '0.2.6',
  /** api/types.go ShowResponse.Capabilities. */
  capabilities: '0.6.4',
  /** api/types.go ChatRequest.Think; older servers ignore the field (Go's JSON decoding drops unknown keys). */
  think: '0.9.0',
  /** "thinking: turn on thinking mode for all reasoning models" (#12533): `think` unset means on. */
  thinkByDefault: '0.12.4',
  /** ChatRequest.Logprobs / TopLogprobs, and the 0..20 bound on top_logprobs in server/routes.go. */
  logprobs: '0.12.11',
} as const

const MODEL_FAMILIES: Array<[RegExp, string[]]> = [
  [/embed|minilm/, ['embedding']],
  [/^(qwen3|deepseek-r1|gpt-oss)/, ['completion', 'tools', 'thinking']],
  [/^(llama3\.[123]|qwen2\.5|mistral)/, ['completion', 'tools']],
]

export function atLeast(version: string, since: string): boolean {
  const parts = (v: string) => v.split(/[.-]/).slice(0, 3).map(Number)
  const [a, b] = [parts(version), parts(since)]
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i]
  return true
}

export function toModel(entry: string | ScriptedModel): ScriptedModel {
  return typeof entry === 'string' ? { name: entry } : entry
}

/** "x" finds a listed "x:latest", as in Ollama. */
export function findModel(models: ScriptedModel[], name: string): ScriptedModel | undefined {
  return models.find((m) => m.name === name || m.name === `${name}:latest`)
}

export function capabilitiesOf(model: ScriptedModel): string[] {
  return model.capabilities ?? MODEL_FAMILIES.find(([family]) => family.test(model.name))?.[1] ?? ['completion']
}

export function alwaysThinks(model: ScriptedModel): boolean {
  return model.alwaysThinks ?? model.name.startsWith('gpt-oss')
}

function digestOf(model: ScriptedModel): string {
  return model.digest ?? createHash('sha256').update(model.name).digest('hex')
}

function detailsOf(model: ScriptedModel) {
  const family = model.family ?? model.name.split(/[:.-]/)[0]
  return {
    parent_model: '',
    format: 'gguf',
    family,
    families: [family],
    parameter_size: model.parameterSize ?? '137M',
    quantization_level: model.quantization ?? 'F16',
  }
}

export function tagEntry(model: ScriptedModel) {
  const modified = '2025-01-01T00:00:00Z'
  const size = model.size ?? 274_302_450
  return { name: model.name, model: model.name, modified_at: modified, size, digest: digestOf(model), details: detailsOf(model) }
}

export function showEntry(model: ScriptedModel, version: string) {
  return {
    modelfile: `FROM ${model.name}`,
    parameters: '',
    template: '{{ .Prompt }}',
    details: detailsOf(model),
    model_info: { 'general.architecture': detailsOf(model).family },
    ...(atLeast(version, SINCE.capabilities) ? { capabilities: capabilitiesOf(model) } : {}),
    modified_at: '2025-01-01T00:00:00Z',
  }
}
