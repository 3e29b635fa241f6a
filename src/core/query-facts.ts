import { tokenize } from './normalize.js'
import {
  AMBIGUOUS_DATE_WORDS, COMMON_ACRONYMS, CURRENCY_SYMBOLS, DATE_WORDS, NEGATION_SKIP, NEGATIONS, NOT_POLAR_AFTER, NOT_POLAR_BEFORE,
  NOT_REPAIR_BEFORE, NUMBER_WORDS, POLAR, REPAIR_AFTER_NO, REPAIR_MARKERS, STOPWORDS, UNIT_SYNONYMS,
} from './query-lexicon.js'

/**
 * What a question pins down beyond its topic: the things the guard compares. Two questions
 * that differ in any of these ask for different answers, however similar their vectors.
 */
export interface QueryFacts {
  tokens: Set<string>
  /** Tokens folded to a crude singular ("groves" -> "grove"), for matching names and negated words. */
  stems: Set<string>
  entities: Set<string>
  numbers: Set<string>
  dates: Set<string>
  units: Set<string>
  negated: boolean
  /** What each negation applies to ("which birds cannot fly" -> "fly"), as stems. */
  negatedWords: Set<string>
  polar: Set<string>
  questionType: QuestionType
  /** Facts said only before a self-correction ("Twigg's no rather Shrewsbury's"), as `kind:value`: not required. */
  retracted: Set<string>
  /** The words in order, as stems, from after the last self-correction (for swapped roles). */
  sequence: string[]
}

export type QuestionType = 'person' | 'time' | 'place' | 'quantity' | 'reason' | 'manner' | 'open'
export type FactKind = 'entity' | 'number' | 'date' | 'unit' | 'polar'

/** Words a lower-cased query still marks as names ("france", "shakespeare"); see fixtures/lexicon. */
export type EntityLexicon = ReadonlySet<string>

interface Token {
  text: string
  /** A capitalised word inside a sentence (a name), unless the whole text is in capitals. */
  name: boolean
  numeric: boolean
}

const NUMERIC = /^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/

export function stem(token: string): string {
  if (token.length > 4 && token.endsWith('ies')) return token.slice(0, -3) + 'y'
  if (token.length > 4 && /(ss|x|ch|sh)es$/.test(token)) return token.slice(0, -2)
  if (token.length > 3 && token.endsWith('s') && !/(ss|us|is)$/.test(token)) return token.slice(0, -1)
  return token
}

function stripPossessive(token: string): string {
  return token.replace(/['’]s$/, '').replace(/['’]$/, '')
}

function readTokens(text: string): Token[] {
  const words = [...text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’.,-]*/gu)]
  const lettered = words.filter((w) => /\p{L}.*\p{L}/u.test(w[0]))
  const shouting = lettered.length > 0 && lettered.filter((w) => w[0] === w[0].toUpperCase()).length / lettered.length >= 0.6
  const tokens: Token[] = []
  words.forEach((match, index) => {
    const raw = match[0].replace(/[.,'’-]+$/, '')
    const before = index === 0 ? '' : text.slice(words[index - 1].index! + words[index - 1][0].length, match.index)
    const previousRaw = index === 0 ? '' : words[index - 1][0]
    const sentenceStart = index === 0 || /[.?!:]/.test(before) || /[.?!]$/.test(previousRaw)
    if (NUMERIC.test(raw)) {
      tokens.push({ text: String(Number(raw.replace(/,/g, ''))), name: false, numeric: true })
      return
    }
    const name = !shouting && !sentenceStart && /^\p{Lu}/u.test(raw)
    for (const part of tokenize(raw)) {
      const digits = /^\d+$/.test(part)
      tokens.push({ text: digits ? String(Number(part)) : stripPossessive(part), name: name && !digits, numeric: digits })
    }
  })
  return tokens
}

/** Positions of self-correction markers, and where the text after the last one begins. */
function findRepairs(tokens: Token[]): { markers: Set<number>; after: number } {
  const markers = new Set<number>()
  let after = 0
  for (let i = 0; i < tokens.length; i++) {
    const next = tokens[i + 1]
    let length = 0
    const previous = tokens[i - 1]?.text
    // "directed no designed": a "no" after a content word takes that word back; "has no army" negates.
    const retracts = previous !== undefined && (!STOPWORDS.has(previous) || previous === 'or')
    if (tokens[i].text === 'no' && next && (REPAIR_AFTER_NO.has(next.text) || next.name || retracts)) length = 1
    for (const marker of REPAIR_MARKERS) {
      if (length > 0) break
      if (!marker.every((word, k) => tokens[i + k]?.text === word)) continue
      const following = tokens[i + marker.length]?.text
      if (following !== undefined && NOT_REPAIR_BEFORE[marker[marker.length - 1]]?.includes(following)) continue
      length = marker.length
    }
    if (length === 0) continue
    for (let k = 0; k < length; k++) markers.add(i + k)
    after = i + length
    i += length - 1
  }
  return { markers, after }
}

function questionTypeOf(tokens: string[]): QuestionType {
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i]
    const next = tokens[i + 1]
    if (word === 'who' || word === 'whom' || word === 'whose') return 'person'
    if (word === 'when') return 'time'
    if (word === 'where') return 'place'
    if (word === 'why') return 'reason'
    if (word === 'how') {
      if (next === 'many' || next === 'much') return 'quantity'
      if (next === 'old' || next === 'long' || next === 'far' || next === 'big' || next === 'tall') return 'quantity'
      return 'manner'
    }
    if ((word === 'what' || word === 'which') && (next === 'year' || next === 'date' || next === 'century' || next === 'decade')) {
      return 'time'
    }
    if (word === 'what' || word === 'which') return 'open'
  }
  return 'open'
}

const WH = new Set(['who', 'whom', 'whose', 'when', 'where', 'why', 'how', 'what', 'which'])

function isNegation(token: string): boolean {
  return NEGATIONS.has(token) || /n['’]t$/.test(token)
}

export function extractQueryFacts(text: string, lexicon?: EntityLexicon): QueryFacts {
  const tokens = readTokens(text)
  const { markers, after } = findRepairs(tokens)
  const facts: QueryFacts = {
    tokens: new Set(tokens.map((t) => t.text)),
    stems: new Set(tokens.map((t) => stem(t.text))),
    entities: new Set(), numbers: new Set(), dates: new Set(), units: new Set(), polar: new Set(),
    negated: false, negatedWords: new Set(), questionType: 'open', retracted: new Set(), sequence: [],
  }
  const required = new Set<string>()
  const sets: Record<FactKind, Set<string>> = { entity: facts.entities, number: facts.numbers, date: facts.dates, unit: facts.units, polar: facts.polar }
  const add = (kind: FactKind, value: string, position: number) => {
    sets[kind].add(value)
    if (position >= after) required.add(`${kind}:${value}`)
  }

  tokens.forEach((token, i) => {
    if (markers.has(i)) return
    const word = token.text
    const near = (offset: number) => tokens[i + offset]?.text ?? ''
    if (token.numeric) {
      const value = Number(word)
      return add(Number.isInteger(value) && value >= 1000 && value <= 2100 ? 'date' : 'number', word, i)
    }
    const entityLike = !STOPWORDS.has(word.split(/['’]/)[0]) && !NUMBER_WORDS[word] && !DATE_WORDS.has(word) && !UNIT_SYNONYMS[word] && !COMMON_ACRONYMS.has(word)
    if (entityLike && (token.name || lexicon?.has(word))) add('entity', word, i)
    if (isNegation(word)) {
      facts.negated = true
      const scope = tokens.slice(i + 1, i + 5).find((t, k) => !markers.has(i + 1 + k) && !STOPWORDS.has(t.text) && !NEGATION_SKIP.has(t.text) && !isNegation(t.text))
      if (scope) facts.negatedWords.add(stem(scope.text))
    }
    if (POLAR[word] && !NOT_POLAR_AFTER[word]?.includes(near(1)) && !NOT_POLAR_BEFORE[word]?.includes(near(-1))) add('polar', POLAR[word], i)
    if (UNIT_SYNONYMS[word]) add('unit', UNIT_SYNONYMS[word], i)
    if (/^\d+(st|nd|rd|th|s)$/.test(word)) add('number', word, i)
    else if (NUMBER_WORDS[word] && word !== 'one' && word !== 'second') add('number', NUMBER_WORDS[word], i) // "one" and "second" are too ambiguous
    else if (DATE_WORDS.has(word)) {
      if (AMBIGUOUS_DATE_WORDS.has(word) && !/^\d|^in$|^of$/.test(near(-1)) && !/^\d|^in$|^of$/.test(near(1))) return
      add('date', word.slice(0, 3), i)
    }
  })
  for (const [symbol, unit] of Object.entries(CURRENCY_SYMBOLS)) if (text.includes(symbol)) add('unit', unit, tokens.length)
  for (const key of Object.keys(sets) as FactKind[]) {
    for (const value of sets[key]) if (!required.has(`${key}:${value}`)) facts.retracted.add(`${key}:${value}`)
  }

  const kept = tokens.filter((_, i) => !markers.has(i)).map((t) => t.text)
  const repaired = tokens.slice(after).map((t) => t.text)
  facts.questionType = questionTypeOf(repaired.some((t) => WH.has(t)) ? repaired : kept)
  facts.sequence = repaired.map(stem)
  return facts
}
