/** An Ollama API feature Asteria uses, the release that brought it, and what is lost without it. */
export interface OllamaFeature {
  name: string
  since: string
  withoutIt: string
}

/** Releases from ollama/ollama's history: server/routes.go and api/types.go at each tag. */
export const OLLAMA_FEATURES = {
  /** POST /api/embed is registered in server/routes.go from v0.2.6. */
  embed: { name: '/api/embed', since: '0.2.6', withoutIt: 'it has no /api/embed, which the Ollama embedder needs' },
  /** ChatRequest.Think appears in api/types.go in v0.9.0; older servers drop the field. */
  think: { name: 'think', since: '0.9.0', withoutIt: 'thinking models cannot be told not to reason, so the agent and the judge are slower' },
  /** ChatRequest.Logprobs and TopLogprobs appear in api/types.go in v0.12.11. */
  logprobs: { name: 'logprobs', since: '0.12.11', withoutIt: 'the judge falls back to JSON verdicts (slower, less calibrated)' },
} satisfies Record<string, OllamaFeature>

export const UPGRADE_OLLAMA = 'upgrade Ollama: curl -fsSL https://ollama.com/install.sh | sh (Linux), or the app from https://ollama.com/download'

function parse(version: string): number[] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim())
  return match ? match.slice(1).map(Number) : undefined
}

/**
 * Whether a server of this version lacks the feature. A source build reports 0.0.0
 * (version/version.go) and an unknown version says nothing: neither counts as too old.
 */
export function lacks(version: string | undefined, feature: OllamaFeature): boolean {
  const have = version === undefined ? undefined : parse(version)
  const need = parse(feature.since)!
  if (!have || have.every((n) => n === 0)) return false
  for (let i = 0; i < 3; i++) if (have[i] !== need[i]) return have[i] < need[i]
  return false
}

/** "Ollama 0.11.4 is older than 0.12.11: the judge falls back to JSON verdicts (slower, less calibrated)". */
export function tooOld(version: string, feature: OllamaFeature): string {
  return `Ollama ${version} is older than ${feature.since}: ${feature.withoutIt}`
}

/** Every feature this server version lacks, each said as `tooOld` says it. */
export function outdatedFeatures(version: string | undefined): string[] {
  return Object.values(OLLAMA_FEATURES).filter((f) => lacks(version, f)).map((f) => tooOld(version!, f))
}
