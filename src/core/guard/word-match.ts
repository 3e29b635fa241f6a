import type { ContentWord } from './question.js'
import { senses, type WordNetPos, type WordSense } from './wordnet.js'

/** How a content word found its counterpart in the other question. */
export type MatchKind = 'same' | 'synonym' | 'derivation' | 'compound' | 'vector'

export interface WordMatch {
  word: ContentWord
  /** The other question's word that matched it. */
  other: ContentWord
  kind: MatchKind
}

/** Closeness of two words by word vectors (cosine), when the caller has vectors; undefined for unknown words. */
export type WordSimilarity = (a: string, b: string) => number | undefined

export interface MatchSettings {
  /** Only a word's most frequent senses count (WordNet lists them first): rare senses make everything a synonym. */
  senses: number
  /** Word-vector cosine at or above which two words match, when neither WordNet nor the lemma does. */
  vectorBound: number
  wordSimilarity?: WordSimilarity
}

export const DEFAULT_MATCH_SETTINGS: MatchSettings = { senses: 3, vectorBound: 0.9 }

const POS_OF: Record<string, WordNetPos[]> = { NOUN: ['noun', 'verb'], PROPN: ['noun'], VERB: ['verb', 'noun'], ADJ: ['adj', 'adv', 'noun'], ADV: ['adv', 'adj'], X: [] }

function topSenses(lemma: string, pos: string, settings: MatchSettings): WordSense[] {
  return (POS_OF[pos] ?? ['noun', 'verb', 'adj', 'adv']).flatMap((p) => senses(lemma, p, settings.senses))
}

interface Neighbourhood {
  synonyms: Set<string>
  derived: Set<string>
  antonyms: Set<string>
  /** The lemma, its synonyms and its derivations: two words whose sets meet are related. */
  near: Set<string>
}

const neighbourCache = new Map<string, Neighbourhood>()
const ofWord = new WeakMap<ContentWord, Neighbourhood>()

/** A word's WordNet neighbourhood over its frequent senses: synonyms, derivations, antonyms. */
function neighbourhood(word: ContentWord, settings: MatchSettings): Neighbourhood {
  const known = ofWord.get(word)
  if (known && settings.senses === DEFAULT_MATCH_SETTINGS.senses) return known
  const key = `${word.pos}:${word.lemma}:${settings.senses}`
  let found = neighbourCache.get(key)
  if (!found) {
    const all = topSenses(word.lemma, word.pos, settings)
    const antonyms = new Set(all.flatMap((s) => s.antonyms))
    // A satellite adjective ("scorching") opposes what its head ("hot") opposes.
    for (const head of all.flatMap((s) => s.similarTo)) for (const s of senses(head, 'adj', 1)) s.antonyms.forEach((a) => antonyms.add(a))
    const synonyms = new Set(all.flatMap((s) => s.synonyms))
    const derived = new Set(all.flatMap((s) => s.derived))
    found = { synonyms, derived, antonyms, near: new Set([word.lemma, ...synonyms, ...derived]) }
    neighbourCache.set(key, found)
  }
  if (settings.senses === DEFAULT_MATCH_SETTINGS.senses) ofWord.set(word, found)
  return found
}

/** The same word, however inflected ("men's" / "mens", "studies" / "study"). */
export function sameWord(word: ContentWord, other: ContentWord): boolean {
  return word.forms.some((f) => other.forms.includes(f))
}

function relate(word: ContentWord, other: ContentWord, settings: MatchSettings): MatchKind | undefined {
  if (word.kind === 'code' || other.kind === 'code' || word.kind === 'relation' || other.kind === 'relation') return undefined
  if (word.parts.length > 1 && other.parts.includes(word.lemma)) return 'compound'
  if (word.kind === 'name' && other.kind === 'name') return undefined // a name matches itself only
  const mine = neighbourhood(word, settings)
  const theirs = neighbourhood(other, settings)
  if (mine.synonyms.has(other.lemma) || theirs.synonyms.has(word.lemma)) return 'synonym'
  const [small, large] = mine.near.size < theirs.near.size ? [mine.near, theirs.near] : [theirs.near, mine.near]
  for (const w of small) if (large.has(w)) return 'derivation'
  if (word.kind === 'name' || other.kind === 'name' || !settings.wordSimilarity) return undefined
  if (mine.antonyms.has(other.lemma) || theirs.antonyms.has(word.lemma)) return undefined
  const cosine = settings.wordSimilarity(word.lemma, other.lemma)
  return cosine !== undefined && cosine >= settings.vectorBound ? 'vector' : undefined
}

/** The other question's word that says what `word` says, and how; undefined when none does. */
export function matchWord(word: ContentWord, others: readonly ContentWord[], settings: MatchSettings): WordMatch | undefined {
  const same = others.find((other) => sameWord(word, other))
  if (same) return { word, other: same, kind: 'same' }
  let best: WordMatch | undefined
  const rank: MatchKind[] = ['compound', 'synonym', 'derivation', 'vector']
  for (const other of others) {
    const kind = relate(word, other, settings) ?? (other.parts.length > 1 && word.forms.some((f) => other.parts.includes(f)) ? 'compound' : undefined)
    if (kind && (!best || rank.indexOf(kind) < rank.indexOf(best.kind))) best = { word, other, kind }
  }
  return best
}

/** A word of the other question that WordNet records as this word's opposite ("hottest" / "coldest"), if any. */
export function antonymIn(word: ContentWord, others: readonly ContentWord[], settings: MatchSettings): ContentWord | undefined {
  if (word.kind !== 'word') return undefined
  const opposites = neighbourhood(word, settings).antonyms
  if (opposites.size === 0) return undefined
  return others.find((o) => o.kind === 'word' && o.lemma !== word.lemma && (opposites.has(o.lemma) || [...neighbourhood(o, settings).synonyms].some((s) => opposites.has(s) && s !== word.lemma)))
}
