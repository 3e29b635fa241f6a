import { readFileSync } from 'node:fs'
import { tokenize } from '../../core/normalize.js'
import { fixturePath } from '../../core/util/package-paths.js'

export const IDF_FIXTURE = 'idf.json'

/**
 * Inverse document frequency from the shipped corpus, stored compactly: words grouped by their
 * IDF rounded to 0.1 (space-separated). Words rarer than `minDf` are left out and get `unknownIdf`.
 */
export interface IdfFile {
  source: string
  licence: string
  documents: number
  minDf: number
  unknownIdf: number
  levels: { idf: number; words: string }[]
}

export interface IdfTable {
  /** IDF of one lower-cased token (see tokenize); rare and unknown words get the highest. */
  idf(token: string): number
  readonly maxIdf: number
}

const round1 = (x: number): number => Math.round(x * 10) / 10
const idfOfDf = (documents: number, df: number): number => Math.log((documents + 1) / (df + 1)) + 1

/** Counts each token once per document; keeps words seen in at least minDf documents. */
export function buildIdfFile(documents: Iterable<string>, minDf: number, provenance: { source: string; licence: string }): IdfFile {
  const df = new Map<string, number>()
  let count = 0
  for (const text of documents) {
    count++
    for (const token of new Set(tokenize(text))) df.set(token, (df.get(token) ?? 0) + 1)
  }
  const byLevel = new Map<number, string[]>()
  for (const [word, n] of df) {
    if (n < minDf) continue
    const level = round1(idfOfDf(count, n))
    byLevel.set(level, [...(byLevel.get(level) ?? []), word])
  }
  const levels = [...byLevel.entries()]
    .sort(([x], [y]) => x - y)
    .map(([idf, words]) => ({ idf, words: words.sort().join(' ') }))
  return { ...provenance, documents: count, minDf, unknownIdf: round1(idfOfDf(count, minDf - 1)), levels }
}

export function idfTableFrom(file: IdfFile): IdfTable {
  const table = new Map<string, number>()
  for (const level of file.levels) for (const word of level.words.split(' ')) table.set(word, level.idf)
  return {
    idf: (token) => table.get(token) ?? file.unknownIdf,
    maxIdf: file.unknownIdf,
  }
}

let shared: IdfTable | undefined

/** The shipped table (fixtures/judge/idf.json), loaded once. */
export function loadIdfTable(): IdfTable {
  shared ??= idfTableFrom(JSON.parse(readFileSync(fixturePath('judge', IDF_FIXTURE), 'utf8')) as IdfFile)
  return shared
}
