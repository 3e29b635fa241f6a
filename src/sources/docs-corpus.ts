import { join } from 'node:path'
import { elapsedMs, startTimer } from '../core/clock.js'
import { AsteriaError } from '../core/errors.js'
import { fixturePath } from '../core/util/package-paths.js'
import { openCorpusIndex, type CorpusIndex } from '../store/sqlite/corpus-store.js'
import type { KnowledgeSource, SourceCall } from '../core/ports/knowledge-source.js'
import { SimulatedRegion, type LatencyRange, type Sleep } from './simulated-region.js'

/** Each passage id is "<set>/<page>#<anchor>"; the set names the documentation it came from. */
export const DOC_SETS = {
  python: { label: 'Python 3.11', baseUrl: 'https://docs.python.org/3.11/' },
  node: { label: 'Node.js 18', baseUrl: 'https://nodejs.org/docs/latest-v18.x/api/' },
} as const
export type DocSet = keyof typeof DOC_SETS

export const DOCS_FIXTURE = ['docs', 'python-node-docs.jsonl.gz'] as const

const DEFAULT_K = 3
const MAX_K = 20
// A language filter is applied after ranking, so ask the index for more than k.
const FILTER_OVERFETCH = 8

/** The page a docs passage id points to on the documentation's own site. */
export function docsUrl(id: string): string | undefined {
  const slash = id.indexOf('/')
  const set = DOC_SETS[id.slice(0, slash) as DocSet]
  return set === undefined ? undefined : set.baseUrl + id.slice(slash + 1)
}

export interface DocsCorpusOptions {
  /** Where the FTS5 index lives; built from the fixture on first search. */
  dbPath: string
  fixtureFile?: string
}

/** The shipped Python 3.11 and Node.js 18 documentation (text only), searched with bm25. Free and local. */
export class DocsCorpusSource implements KnowledgeSource {
  readonly name = 'docs'
  readonly pricePerCallUsd = 0
  private index: CorpusIndex | undefined

  constructor(private readonly options: DocsCorpusOptions) {}

  async search(query: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<SourceCall> {
    signal?.throwIfAborted()
    const k = topK(args.k)
    const language = docSet(args.language)
    const start = startTimer()
    this.index ??= openCorpusIndex(this.options.dbPath, this.options.fixtureFile ?? fixturePath(...DOCS_FIXTURE))
    const passages = this.index
      .search(query, language === undefined ? k : Math.min(100, k * FILTER_OVERFETCH))
      .filter((p) => language === undefined || p.id.startsWith(`${language}/`))
      .slice(0, k)
    const documents = passages.map(({ id, title, text, score }) => ({ id, title, text, score, url: docsUrl(id) }))
    return { result: { documents }, latencyMs: elapsedMs(start), costUsd: 0 }
  }

  close(): void {
    this.index?.close()
    this.index = undefined
  }
}

export interface DocsSourceOptions {
  dataDir: string
  latency?: LatencyRange | number
  priceUsd?: number
  seed?: number
  sleep?: Sleep
  fixtureFile?: string
}

/** The docs corpus behind the same simulated remote region as the default Wikipedia source. */
export function createDocsSource(options: DocsSourceOptions): SimulatedRegion {
  const docs = new DocsCorpusSource({ dbPath: join(options.dataDir, 'docs-index.sqlite'), fixtureFile: options.fixtureFile })
  return new SimulatedRegion(docs, { latency: options.latency, priceUsd: options.priceUsd, seed: options.seed, sleep: options.sleep })
}

function topK(value: unknown): number {
  if (value === undefined) return DEFAULT_K
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_K) return value
  throw new AsteriaError('BAD_INPUT', `Expected the docs source's k to be a whole number from 1 to ${MAX_K}; received ${JSON.stringify(value)}.`, {
    suggestions: [`Omit k to get ${DEFAULT_K} passages.`],
  })
}

function docSet(value: unknown): DocSet | undefined {
  if (value === undefined) return undefined
  if (value === 'javascript' || value === 'js') return 'node'
  if (typeof value === 'string' && value in DOC_SETS) return value as DocSet
  throw new AsteriaError('BAD_INPUT', `Expected the docs source's language to be python or node; received ${JSON.stringify(value)}.`, {
    suggestions: ['Omit language to search both.'],
  })
}
