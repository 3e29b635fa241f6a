import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { fixturePath } from '../../src/core/util/package-paths.js'

/** The records of a shipped gzipped JSON-lines fixture. */
export const jsonLines = (...path: string[]) =>
  gunzipSync(readFileSync(fixturePath(...path))).toString('utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, string>)

/** Distinct sentences (20 to 200 characters) of the shipped Wikipedia and Python/Node.js documentation corpora, in corpus order. */
export function corpusSentences(): string[] {
  return [...new Set([...jsonLines('corpus', 'wiki-paragraphs.jsonl.gz'), ...jsonLines('docs', 'python-node-docs.jsonl.gz')]
    .flatMap((doc) => doc.text.split(/(?<=[.?!])\s+|\n+/))
    .map((s) => s.trim())
    .filter((s) => s.length >= 20 && s.length <= 200))]
}
