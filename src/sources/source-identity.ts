import type { SourceConfig, SourceName } from '../config/source-config.js'

/**
 * What a source's answers are stored under: part of the scope (core/scope.ts), so answers fetched
 * from one source never serve look-ups that another source now answers. A Wikipedia edition
 * gives other answers than another edition, so it names its host; an HTTP endpoint goes by the
 * name its description gives it, else its host. SearXNG, Tavily and Brave go by name alone: another
 * instance or address of one of them searches the same web.
 */
export function sourceIdentity(name: SourceName, settings: Pick<SourceConfig, 'wikipediaUrl' | 'httpSource'>): string {
  if (name === 'wikipedia') return `wikipedia ${hostOf(settings.wikipediaUrl)}`
  if (name === 'http') return settings.httpSource?.name ?? (settings.httpSource ? `http ${hostOf(settings.httpSource.url)}` : 'http')
  return name
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}
