import type { SourceDocument } from '../core/ports/knowledge-source.js'
import type { LookupObservation } from './session-recorder.js'

const SNIPPET_CHARS = 700
const OPEN_CHARS = 4000

/**
 * Numbers documents as an agent reads them across one task, so that `open` can refer to
 * "[3]" and the search results stay short.
 */
export class DocumentShelf {
  private readonly documents: SourceDocument[] = []

  /** The look-up's result as numbered snippets (or why there is none). */
  present(observation: LookupObservation): string {
    if (observation.error) return `The look-up failed: ${observation.error}`
    if (observation.documents.length === 0) return 'No results. Try other words.'
    return observation.documents
      .map((doc) => {
        this.documents.push(doc)
        const text = flatten(doc.text)
        const snippet = text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS - 1)}…` : text
        return `[${this.documents.length}] ${doc.title ? `${doc.title}: ` : ''}${snippet}${doc.url ? ` (${doc.url})` : ''}`
      })
      .join('\n')
  }

  /** The full text of result [n] seen earlier in this task. */
  open(reference: unknown): string {
    const n = Number(String(reference ?? '').replace(/[^\d]/g, ''))
    const doc = Number.isInteger(n) && n >= 1 ? this.documents[n - 1] : undefined
    if (!doc) return `There is no result [${String(reference)}]; results so far are [1] to [${this.documents.length}].`
    const text = doc.text.length > OPEN_CHARS ? `${doc.text.slice(0, OPEN_CHARS - 1)}…` : doc.text
    return `${doc.title ? `${doc.title}\n` : ''}${text}`
  }

  get all(): readonly SourceDocument[] {
    return this.documents
  }
}

function flatten(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}
