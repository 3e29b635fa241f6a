import type { servedJson, statsJson } from '../report/serve-json.js'

type Served = ReturnType<typeof servedJson>
type Stats = ReturnType<typeof statsJson>

const seconds = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`)
const dollars = (usd: number) => `$${usd.toFixed(4)}`

/** A tool answer an agent reads: whether it was a hit, what that saved, then the documents. */
export function servedText(served: Served): string {
  return [headline(served), '', ...documentLines(served.result)].join('\n')
}

function headline(served: Served): string {
  const { decision, element, saved } = served
  if (served.source === 'cache') {
    const match = decision.kind === 'exact' ? 'the same question' : `"${element?.query}" (similarity ${decision.similarity?.toFixed(3)})`
    return `Cache HIT (${decision.kind}): answered from ${match}; saved ${seconds(saved.latencyMs)} and ${dollars(saved.costUsd)}.`
  }
  if (served.source === 'coalesced') return 'Cache MISS, coalesced: shared the source call of an identical request in flight.'
  const stored = element ? 'stored for next time' : 'not stored'
  return `Cache MISS: fetched from the source in ${seconds(served.latencyMs)} for ${dollars(served.costUsd)}; ${stored}. Why: ${decision.reason}.`
}

function documentLines(result: unknown): string[] {
  const documents = (result as { documents?: { title?: string; url?: string; text: string }[] })?.documents
  if (!Array.isArray(documents)) return [typeof result === 'string' ? result : JSON.stringify(result, null, 2)]
  if (documents.length === 0) return ['(no documents)']
  return documents.flatMap((doc, i) => [`[${i + 1}] ${doc.title ?? 'untitled'}${doc.url ? ` <${doc.url}>` : ''}`, doc.text, ''])
}

export function statsText(stats: Stats): string {
  const rate = stats.hitRate === null ? 'n/a' : `${(stats.hitRate * 100).toFixed(1)}%`
  return [
    `Namespace ${stats.namespace}: ${stats.summary.elements} elements (${stats.summary.expired} expired).`,
    `${stats.requests} requests: ${stats.hits.exact} exact hits, ${stats.hits.semantic} semantic hits, ${stats.misses} misses, ${stats.coalesced} coalesced; hit rate ${rate}.`,
    `Source calls: ${stats.remoteCalls}, ${dollars(stats.costSpentUsd)} spent; saved ${dollars(stats.costSavedUsd)} and ${seconds(stats.latencySavedMs)}.`,
  ].join('\n')
}
