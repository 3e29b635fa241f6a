import { readEnglish, type EnglishToken } from './english.js'
import { findRepairs, type Repair } from './repair.js'
import { findFocus, type QuestionFocus } from './focus.js'
import {
  AMBIGUOUS_DATE_WORDS, DIRECTED_RELATIONS, AMBIGUOUS_NUMBER_WORDS, COMMON_ACRONYMS, CURRENCY_SYMBOLS, DATE_WORDS, DEGREE_WORDS, DISCOURSE_ADVERBS,
  FRAMING_ONLY_AT_START, FRAMING_WORDS, IMPERATIVE_FRAMING, NUMBER_WORDS, OPPOSITE_PARTICLES, RELATION_WORDS, TIME_UNITS, UNIT_WORDS,
} from './lexicon.js'
import { isListed } from './wordnet.js'

/** Lower-cased words that the shipped corpus almost always capitalises ("france"): names even in lower case. */
export type NameLexicon = ReadonlySet<string>

export interface Relation {
  /** The relation word as it reads (into, onto -> to). */
  word: string
  position: number
}

export type WordKind = 'name' | 'code' | 'word' | 'relation'

/** A content word of a question: what the other question must also say, in some words. */
export interface ContentWord {
  text: string
  /** Lemma, lower case; a compound WordNet knows ("steam engine") or a code identifier ("json.loads") as one. */
  lemma: string
  kind: WordKind
  /** wink-nlp's part of speech (for a compound: its last word's). */
  pos: string
  /** Lemmas of a compound's words, else just the lemma. */
  parts: string[]
  /** The lemma and the written word without a plural or possessive ending: sharing one of these is the same word. */
  forms: string[]
  negated: boolean
  /** An adjective or adverb in a comparative or superlative form ("larger", "largest", "best"). */
  graded: boolean
  position: number
}

/** A question read for the guard: its content words, quantities, focus and self-corrections. */
export interface QuestionAnalysis {
  text: string
  /** The question with taken-back words and cues removed: what is embedded and compared. */
  repaired: string
  repairs: Repair[]
  words: ContentWord[]
  numbers: Set<string>
  dates: Set<string>
  units: Set<string>
  focus: QuestionFocus
  /** The question says "not", "no", "never", "without" (outside a self-correction). */
  negated: boolean
  /** Degree words ("more", "least") and their direction. */
  degrees: Set<'up' | 'down'>
  /** Lemmas of the words that only frame the request ("tell", "learn" in "how do I learn French"): not required, but they count as said. */
  framing: string[]
  /** Directed relation words ("to", "from"), for swapped roles. */
  relations: Relation[]
  /** Opposite particles ("turn on" / "turn off"), as written, lower case. */
  particles: Set<string>
}

const CODE = /(?:[A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*)+(?:\(\))?)|\b[A-Za-z][A-Za-z0-9]*_\w+\b|\b[a-z]+[A-Z][A-Za-z0-9]*\b|(?<=\s|^)--?[a-z][\w-]+/g
const CONTENT_POS = new Set(['NOUN', 'PROPN', 'VERB', 'ADJ', 'ADV', 'X'])
const NEGATIONS = new Set(['not', 'no', 'never', 'without', 'nor', 'cannot', 'neither', 'none', 'nothing', 'nobody'])
const LIGHT_VERBS = new Set(['be', 'have', 'do', 'can', 'could', 'will', 'would', 'shall', 'should', 'may', 'might', 'must'])

function numberValue(token: EnglishToken): string | undefined {
  const raw = token.normal.replace(/,/g, '')
  if (/^\d+(\.\d+)?$/.test(raw)) return String(Number(raw))
  if (/^\d+(st|nd|rd|th)$/.test(raw)) return raw
  if (NUMBER_WORDS[raw] && !AMBIGUOUS_NUMBER_WORDS.has(raw)) return NUMBER_WORDS[raw]
  return undefined
}

const isYear = (value: string) => /^\d{4}$/.test(value) && Number(value) >= 1000 && Number(value) <= 2100

/** Compound nouns WordNet lists ("steam engine", "cash machine", "declaration of independence"), longest first. */
function compoundAt(tokens: EnglishToken[], i: number, usable: (k: number) => boolean): number {
  for (let length = 4; length >= 2; length--) {
    const span = tokens.slice(i, i + length)
    if (span.length < length || !span.every((_, k) => usable(i + k))) continue
    if (!['NOUN', 'PROPN', 'ADJ'].includes(span[0].pos) || !['NOUN', 'PROPN'].includes(span[length - 1].pos)) continue
    const phrase = span.map((t, k) => (k === length - 1 ? t.lemma : t.normal)).join(' ')
    if (isListed(phrase, 'noun')) return length
  }
  return 0
}

const bare = (word: string) => word.replace(/['’]s$/, '').replace(/(?<=[a-z]{3})s$/, '')

function formsOf(lemma: string, text: string): string[] {
  return [...new Set([lemma, bare(lemma), bare(text.toLowerCase())])]
}

function isGraded(token: EnglishToken): boolean {
  if (token.pos !== 'ADJ' && token.pos !== 'ADV') return false
  const surface = token.normal
  return surface !== token.lemma && (/(est|er)$/.test(surface) || ['best', 'worst', 'better', 'worse'].includes(surface))
}

/**
 * Reads a question with wink-nlp (tokens, parts of speech, lemmas, negation) and WordNet
 * (compounds): its content words, numbers, dates, units, degree words, focus and self-corrections.
 */
export function analyseQuestion(text: string, names?: NameLexicon): QuestionAnalysis {
  const tokens = readEnglish(text)
  const { removed, repairs } = findRepairs(tokens)
  const codeSpans = [...text.matchAll(CODE)].map((m) => [m.index!, m.index! + m[0].length] as const)
  const codeOf = (t: EnglishToken) => codeSpans.findIndex(([from, to]) => t.start >= from && t.end <= to)
  const kept = tokens.map((_, i) => i).filter((i) => !removed.has(i))
  const lettered = tokens.filter((t) => /[a-z]/i.test(t.text))
  const shouting = lettered.length > 2 && lettered.every((t) => t.text === t.text.toUpperCase())
  // wink marks the scope of a negation; a negation word taken back by a repair negates nothing.
  const negations = kept.filter((i) => NEGATIONS.has(tokens[i].normal))
  const negated = (i: number) => tokens[i].negated && negations.some((n) => n < i && tokens[n].sentence === tokens[i].sentence)

  const analysis: QuestionAnalysis = {
    text,
    repaired: kept.map((i, k) => (k > 0 && (kept[k - 1] !== i - 1 || tokens[i].start > tokens[i - 1].end) ? ' ' : '') + tokens[i].text).join(''),
    repairs,
    words: [],
    numbers: new Set(),
    dates: new Set(),
    units: new Set(),
    focus: findFocus(kept.map((i) => tokens[i]), kept),
    degrees: new Set(),
    negated: negations.length > 0,
    framing: [],
    relations: kept.filter((i) => tokens[i].pos === 'ADP' && DIRECTED_RELATIONS[tokens[i].normal]).map((i) => ({ word: DIRECTED_RELATIONS[tokens[i].normal], position: i })),
    particles: new Set(kept.map((i) => tokens[i].normal).filter((w) => w in OPPOSITE_PARTICLES)),
  }
  const firstContent = kept.find((i) => ['NOUN', 'PROPN'].includes(tokens[i].pos)) ?? tokens.length
  const seenCode = new Set<number>()
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k]
    const token = tokens[i]
    const near = (offset: number) => tokens[i + offset]?.normal ?? ''
    const code = codeOf(token)
    if (code !== -1) {
      if (!seenCode.has(code)) {
        seenCode.add(code)
        const identifier = text.slice(codeSpans[code][0], codeSpans[code][1]).replace(/\(\)$/, '')
        analysis.words.push({ text: identifier, lemma: identifier.toLowerCase(), kind: 'code', pos: 'X', parts: [identifier.toLowerCase()], forms: [identifier.toLowerCase()], negated: negated(i), graded: false, position: i })
      }
      continue
    }
    if (CURRENCY_SYMBOLS[token.text]) analysis.units.add(CURRENCY_SYMBOLS[token.text])
    const value = numberValue(token)
    if (value !== undefined) {
      ;(isYear(value) ? analysis.dates : analysis.numbers).add(value)
      continue
    }
    const lower = token.normal
    if (DATE_WORDS[lower] && (!AMBIGUOUS_DATE_WORDS.has(lower) || /^\d|^in$|^of$|^on$/.test(near(-1)) || /^\d/.test(near(1)))) {
      analysis.dates.add(DATE_WORDS[lower])
      continue
    }
    const unit = UNIT_WORDS[token.lemma] ?? UNIT_WORDS[lower]
    if (unit && (!TIME_UNITS.has(unit) || numberValue(tokens[i - 1] ?? token) !== undefined)) {
      analysis.units.add(unit)
      continue
    }
    if (DEGREE_WORDS[lower]) {
      analysis.degrees.add(DEGREE_WORDS[lower])
      continue
    }
    if (RELATION_WORDS.has(lower)) {
      analysis.words.push({ text: token.text, lemma: lower, kind: 'relation', pos: token.pos, parts: [lower], forms: [lower], negated: negated(i), graded: false, position: i })
      continue
    }
    if (!CONTENT_POS.has(token.pos) || LIGHT_VERBS.has(token.lemma) || analysis.focus.words.has(i)) continue
    if (token.pos === 'ADV' && (DISCOURSE_ADVERBS.has(lower) || token.stopWord)) continue
    const startsSentence = k === 0 || tokens[kept[k - 1]].sentence !== token.sentence
    const framing = (FRAMING_WORDS.has(token.lemma) && (!FRAMING_ONLY_AT_START.has(token.lemma) || i < firstContent)) || (startsSentence && IMPERATIVE_FRAMING.has(lower))
    if (framing) {
      analysis.framing.push(token.lemma) // "Name a river in ...", "how do I learn French" (learn frames) / "the way to learn French"
      continue
    }
    const length = compoundAt(tokens, i, (j) => !removed.has(j) && codeOf(tokens[j]) === -1)
    if (length > 0) {
      const span = tokens.slice(i, i + length)
      const lemma = span.map((t, n) => (n === length - 1 ? t.lemma : t.normal)).join(' ')
      const parts = span.filter((t) => CONTENT_POS.has(t.pos)).map((t) => t.lemma)
      const name = span.some((t) => t.pos === 'PROPN')
      analysis.words.push({ text: span.map((t) => t.text).join(' '), lemma, kind: name ? 'name' : 'word', pos: span[length - 1].pos, parts, forms: formsOf(lemma, span.map((t) => t.text).join(' ')), negated: negated(i), graded: false, position: i })
      k += length - 1
      continue
    }
    const capitalised = /^\p{Lu}/u.test(token.text) && !shouting && k > 0 && !/[.?!:]/.test(text.slice(tokens[kept[k - 1]].end, token.start))
    const name = !COMMON_ACRONYMS.has(lower) && (token.pos === 'PROPN' || capitalised || names?.has(lower) === true)
    const lemma = name ? lower.replace(/['’]s$/, '') : token.lemma
    analysis.words.push({ text: token.text, lemma, kind: name ? 'name' : 'word', pos: token.pos, parts: [lemma], forms: formsOf(lemma, token.text), negated: negated(i), graded: isGraded(token), position: i })
  }
  return analysis
}
