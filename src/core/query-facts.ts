import { tokenize } from './normalize.js'

/**
 * What a question pins down beyond its topic: the things the guard compares. Two questions
 * that differ in any of these ask for different answers, however similar their vectors.
 */
export interface QueryFacts {
  tokens: Set<string>
  entities: Set<string>
  numbers: Set<string>
  dates: Set<string>
  units: Set<string>
  negated: boolean
  polar: Set<string>
  questionType: QuestionType
}

export type QuestionType = 'person' | 'time' | 'place' | 'quantity' | 'reason' | 'manner' | 'open'

/** Words a lower-cased query still marks as names ("france", "shakespeare"); see fixtures/lexicon. */
export type EntityLexicon = ReadonlySet<string>

const STOPWORDS = new Set(
  ('a an the of in on at to for from by with about as into onto over under and or but if then is are was were be been being ' +
    'do does did done have has had what which who whom whose when where why how that this these those it its i you he she we they ' +
    'me my your his her our their them us can could should would will shall may might must please tell show give find list ' +
    'there here than so such very just also any some all each every other another one s').split(' '),
)

const NUMBER_WORDS: Record<string, string> = {
  zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
  ten: '10', eleven: '11', twelve: '12', thirteen: '13', fourteen: '14', fifteen: '15', sixteen: '16',
  seventeen: '17', eighteen: '18', nineteen: '19', twenty: '20', thirty: '30', forty: '40', fifty: '50',
  hundred: '100', thousand: '1000', million: '1e6', billion: '1e9', dozen: '12',
  first: '1st', second: '2nd', third: '3rd', fourth: '4th', fifth: '5th', sixth: '6th', seventh: '7th',
  eighth: '8th', ninth: '9th', tenth: '10th', '1st': '1st', '2nd': '2nd', '3rd': '3rd',
}

const DATE_WORDS = new Set(
  ('january february march april may june july august september october november december ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday ' +
    'yesterday today tomorrow tonight').split(' '),
)
// "may" and "march" are verbs too; only count them as dates next to a number or "in".
const AMBIGUOUS_DATE_WORDS = new Set(['may', 'march', 'sun', 'sat'])

const UNIT_SYNONYMS: Record<string, string> = {
  km: 'km', kilometer: 'km', kilometers: 'km', kilometre: 'km', kilometres: 'km',
  mile: 'mile', miles: 'mile', mi: 'mile', m: 'm', meter: 'm', meters: 'm', metre: 'm', metres: 'm',
  ft: 'ft', foot: 'ft', feet: 'ft', inch: 'inch', inches: 'inch', cm: 'cm', centimeters: 'cm', mm: 'mm',
  kg: 'kg', kilogram: 'kg', kilograms: 'kg', kilo: 'kg', kilos: 'kg', lb: 'lb', lbs: 'lb', pound: 'lb', pounds: 'lb',
  gram: 'g', grams: 'g', g: 'g', ounce: 'oz', ounces: 'oz', oz: 'oz', ton: 'ton', tons: 'ton', tonnes: 'ton',
  celsius: 'c', centigrade: 'c', fahrenheit: 'f', kelvin: 'k',
  dollar: 'usd', dollars: 'usd', usd: 'usd', euro: 'eur', euros: 'eur', eur: 'eur', yen: 'jpy', jpy: 'jpy',
  sterling: 'gbp', gbp: 'gbp', rupee: 'inr', rupees: 'inr', yuan: 'cny', bitcoin: 'btc', btc: 'btc',
  percent: 'pct', percentage: 'pct', liter: 'l', liters: 'l', litre: 'l', litres: 'l', gallon: 'gal', gallons: 'gal',
  mph: 'mph', kph: 'kph',
  acre: 'acre', acres: 'acre', hectare: 'ha', hectares: 'ha', mb: 'mb', gb: 'gb', tb: 'tb', kb: 'kb',
  watt: 'w', watts: 'w', kw: 'kw', kwh: 'kwh', volt: 'v', volts: 'v',
}
const CURRENCY_SYMBOLS: Record<string, string> = { $: 'usd', '€': 'eur', '£': 'gbp', '¥': 'jpy', '₹': 'inr', '%': 'pct' }

const NEGATIONS = new Set(['not', 'no', 'never', 'without', 'none', 'nobody', 'nothing', 'neither', 'nor', 'cannot', 'except', 'non'])

/** Comparatives and superlatives, folded so that synonyms ("biggest", "largest") agree. */
const POLAR: Record<string, string> = {
  largest: 'max-size', biggest: 'max-size', greatest: 'max-size', largest_: 'max-size',
  smallest: 'min-size', tiniest: 'min-size', least: 'min', most: 'max', more: 'more', less: 'less', fewer: 'less',
  larger: 'more-size', bigger: 'more-size', greater: 'more', smaller: 'less-size',
  highest: 'max-height', tallest: 'max-height', lowest: 'min-height', shortest: 'min-length', longest: 'max-length',
  higher: 'more-height', taller: 'more-height', lower: 'less-height', longer: 'more-length', shorter: 'less-length',
  oldest: 'max-age', youngest: 'min-age', older: 'more-age', younger: 'less-age', newest: 'min-age',
  earliest: 'min-time', latest: 'max-time', earlier: 'before', later: 'after', before: 'before', after: 'after',
  best: 'max-good', worst: 'min-good', better: 'more-good', worse: 'less-good',
  fastest: 'max-speed', slowest: 'min-speed', faster: 'more-speed', slower: 'less-speed',
  richest: 'max-wealth', poorest: 'min-wealth', hottest: 'max-heat', coldest: 'min-heat',
  heaviest: 'max-weight', lightest: 'min-weight', deepest: 'max-depth', shallowest: 'min-depth',
  cheapest: 'min-price', maximum: 'max', minimum: 'min', max: 'max', min: 'min', top: 'max', last: 'last',
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

function stripPossessive(token: string): string {
  return token.replace(/['’]s$/, '').replace(/['’]$/, '')
}

export function extractQueryFacts(text: string, lexicon?: EntityLexicon): QueryFacts {
  const tokens = tokenize(text).map(stripPossessive)
  const tokenSet = new Set(tokens)
  const entities = new Set<string>()
  const numbers = new Set<string>()
  const dates = new Set<string>()
  const units = new Set<string>()
  const polar = new Set<string>()
  let negated = /n['’]t\b/i.test(text)

  // Capitalised words after the first word of a sentence are names; so are lexicon words.
  const rawWords = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu) ?? []
  rawWords.forEach((raw, index) => {
    const previous = index > 0 ? rawWords[index - 1] : ''
    const sentenceStart = index === 0 || /[.?!]$/.test(previous)
    const word = stripPossessive(raw.toLowerCase().replace(/[.-]+$/, ''))
    if (!sentenceStart && /^\p{Lu}/u.test(raw) && !STOPWORDS.has(word) && !NUMBER_WORDS[word] && !DATE_WORDS.has(word)) {
      for (const part of tokenize(word)) entities.add(stripPossessive(part))
    }
  })
  for (const [i, token] of tokens.entries()) {
    if (lexicon?.has(token) && !STOPWORDS.has(token)) entities.add(token)
    if (NEGATIONS.has(token)) negated = true
    if (POLAR[token]) polar.add(POLAR[token])
    if (UNIT_SYNONYMS[token]) units.add(UNIT_SYNONYMS[token])
    const numeric = token.replace(/,/g, '')
    if (/^\d+(\.\d+)?$/.test(numeric)) {
      const value = Number(numeric)
      if (Number.isInteger(value) && value >= 1000 && value <= 2100 && numeric.length === 4) dates.add(numeric)
      else numbers.add(String(value))
    } else if (/^\d+(st|nd|rd|th|s)$/.test(token)) {
      numbers.add(token)
    } else if (NUMBER_WORDS[token]) {
      if (token === 'one' || token === 'second') continue // pronoun "one", time unit "second": too ambiguous
      numbers.add(NUMBER_WORDS[token])
    } else if (DATE_WORDS.has(token)) {
      if (AMBIGUOUS_DATE_WORDS.has(token)) {
        const around = `${tokens[i - 1] ?? ''} ${tokens[i + 1] ?? ''}`
        if (!/\d|\bin\b|\bof\b/.test(around)) continue
      }
      dates.add(token.slice(0, 3))
    }
  }
  for (const [symbol, unit] of Object.entries(CURRENCY_SYMBOLS)) if (text.includes(symbol)) units.add(unit)
  for (const entity of entities) if (UNIT_SYNONYMS[entity] || DATE_WORDS.has(entity)) entities.delete(entity)

  return { tokens: tokenSet, entities, numbers, dates, units, negated, polar, questionType: questionTypeOf(tokens) }
}
