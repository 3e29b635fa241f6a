import { elapsedMs, startTimer } from '../core/clock.js'
import { AsteriaError } from '../core/errors.js'
import { fixturePath } from '../core/util/package-paths.js'
import { openCorpusIndex, type CorpusIndex } from '../store/sqlite/corpus-store.js'
import type { KnowledgeSource, SourceCall } from '../core/ports/knowledge-source.js'

export interface LocalCorpusOptions {
  /** Where the FTS5 index lives; built from the fixture on first search. */
  dbPath: string
  /** Gzipped JSON lines of {id, title, text}; defaults to the shipped Wikipedia paragraphs. */
  fixtureFile?: string
}

const DEFAULT_K = 3
const MAX_K = 20

/** The shipped Wikipedia-paragraph corpus (SQuAD 1.1 contexts), searched with bm25. Free and local. */
export class LocalCorpusSource implements KnowledgeSource {
  readonly name = 'local'
  readonly pricePerCallUsd = 0
  private index: CorpusIndex | undefined

  constructor(private readonly options: LocalCorpusOptions) {}

  async search(query: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<SourceCall> {
    signal?.throwIfAborted()
    const k = topK(args.k)
    // Opened on first use so that constructing a source never costs a first-run build; the build
    // is set-up, not the source's latency, so the timer starts after it.
    this.index ??= openCorpusIndex(this.options.dbPath, this.options.fixtureFile ?? fixturePath('corpus', 'wiki-paragraphs.jsonl.gz'))
    const start = startTimer()
    const documents = this.index.search(query, k).map(({ id, title, text, score }) => ({ id, title, text, score, url: articleUrl(id) }))
    return { result: { documents }, latencyMs: elapsedMs(start), costUsd: 0 }
  }

  close(): void {
    this.index?.close()
    this.index = undefined
  }
}

/** Ids are "<Article_Title>#<paragraph>"; the link credits the Wikipedia article (CC BY-SA). */
function articleUrl(id: string): string {
  const article = id.slice(0, id.lastIndexOf('#'))
  return `https://en.wikipedia.org/wiki/${encodeURIComponent(article)}`
}

function topK(value: unknown): number {
  if (value === undefined) return DEFAULT_K
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_K) return value
  throw new AsteriaError('BAD_INPUT', `Expected the local source's k to be a whole number from 1 to ${MAX_K}; received ${JSON.stringify(value)}.`, {
    suggestions: [`Omit k to get ${DEFAULT_K} passages.`],
  })
}
