/**
 * The word lists no library covers: what a question's numbers, dates and units are, which words
 * only frame a request ("tell me about"), and which name its focus ("what year" = when).
 * Everything else (parts of speech, lemmas, negation scope: wink-nlp; synonyms, antonyms,
 * derivations: WordNet) comes from the libraries.
 */

/** A word table without Object.prototype, so looking up "constructor" or "toString" finds nothing. */
function wordTable<T>(entries: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries)
}

export const NUMBER_WORDS: Record<string, string> = wordTable({
  zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
  ten: '10', eleven: '11', twelve: '12', thirteen: '13', fourteen: '14', fifteen: '15', sixteen: '16',
  seventeen: '17', eighteen: '18', nineteen: '19', twenty: '20', thirty: '30', forty: '40', fifty: '50',
  sixty: '60', seventy: '70', eighty: '80', ninety: '90', hundred: '100', thousand: '1000', million: '1e6', billion: '1e9', dozen: '12',
  first: '1st', second: '2nd', third: '3rd', fourth: '4th', fifth: '5th', sixth: '6th', seventh: '7th',
  eighth: '8th', ninth: '9th', tenth: '10th', twentieth: '20th', hundredth: '100th',
})

/** "one" and "second" are too often not numbers ("the one who", "a second opinion"). */
export const AMBIGUOUS_NUMBER_WORDS = new Set(['one', 'second'])

export const DATE_WORDS: Record<string, string> = wordTable({
  january: 'jan', february: 'feb', march: 'mar', april: 'apr', may: 'may', june: 'jun', july: 'jul', august: 'aug',
  september: 'sep', october: 'oct', november: 'nov', december: 'dec', jan: 'jan', feb: 'feb', mar: 'mar', apr: 'apr',
  jun: 'jun', jul: 'jul', aug: 'aug', sep: 'sep', sept: 'sep', oct: 'oct', nov: 'nov', dec: 'dec',
  monday: 'mon', tuesday: 'tue', wednesday: 'wed', thursday: 'thu', friday: 'fri', saturday: 'sat', sunday: 'sun',
  yesterday: 'yesterday', today: 'today', tomorrow: 'tomorrow', tonight: 'tonight',
})
/** Month names that are also verbs or modals: dates only next to a number or after "in"/"of". */
export const AMBIGUOUS_DATE_WORDS = new Set(['may', 'march', 'sun', 'sat', 'jan', 'dec', 'mar', 'sep', 'oct', 'nov', 'aug', 'jun', 'jul', 'apr', 'feb'])

export const UNIT_WORDS: Record<string, string> = wordTable({
  km: 'km', kilometer: 'km', kilometre: 'km', mile: 'mile', mi: 'mile', meter: 'm', metre: 'm',
  ft: 'ft', foot: 'ft', feet: 'ft', inch: 'inch', cm: 'cm', centimeter: 'cm', centimetre: 'cm', mm: 'mm', millimeter: 'mm',
  kg: 'kg', kilogram: 'kg', kilo: 'kg', lb: 'lb', lbs: 'lb', pound: 'lb', gram: 'g', ounce: 'oz', oz: 'oz', ton: 'ton', tonne: 'ton',
  celsius: 'c', centigrade: 'c', fahrenheit: 'f', kelvin: 'k',
  dollar: 'usd', usd: 'usd', euro: 'eur', eur: 'eur', yen: 'jpy', jpy: 'jpy', sterling: 'gbp', gbp: 'gbp', rupee: 'inr', inr: 'inr', yuan: 'cny',
  bitcoin: 'btc', btc: 'btc', percent: 'pct', percentage: 'pct', liter: 'l', litre: 'l', gallon: 'gal',
  mph: 'mph', kph: 'kph', acre: 'acre', hectare: 'ha', mb: 'mb', gb: 'gb', tb: 'tb', kb: 'kb', megabyte: 'mb', gigabyte: 'gb',
  watt: 'w', kw: 'kw', kwh: 'kwh', volt: 'v', second: 's', minute: 'min', hour: 'h', day: 'day', week: 'week', month: 'month', year: 'year',
})
/** Time units are units only next to a number ("3 days"); otherwise they are ordinary words. */
export const TIME_UNITS = new Set(['s', 'min', 'h', 'day', 'week', 'month', 'year'])
export const CURRENCY_SYMBOLS: Record<string, string> = wordTable({ $: 'usd', '€': 'eur', '£': 'gbp', '¥': 'jpy', '₹': 'inr', '%': 'pct' })

/**
 * Words that frame a request without saying what it asks ("tell me about", "I'd like to know",
 * "can you explain"): a question answers the same with or without them.
 */
export const FRAMING_WORDS = new Set(
  ('tell explain describe show give find know want like need wonder please info information detail details overview ' +
    'summary summarize summarise learn ask question help let mean meaning define definition get').split(' '),
)
/** Framing words that are content when they are the object of the question ("how do I get a card": get is content). */
export const FRAMING_ONLY_AT_START = new Set(['get', 'help', 'need', 'want', 'like', 'find', 'show', 'give', 'know', 'mean', 'learn', 'ask'])

/** Imperatives that open a request as a question word would ("Name a river that ...", "List the ..."). */
export const IMPERATIVE_FRAMING = new Set(['name', 'list', 'give', 'tell', 'show', 'find', 'explain', 'describe', 'identify', 'mention'])

/** Adverbs that colour a question without changing what it asks. */
export const DISCOURSE_ADVERBS = new Set(
  'just really very still already also even actually currently ever yet again now so too quite basically exactly simply possibly perhaps maybe please there here then'.split(' '),
)

/** A wh-word followed by one of these nouns asks for that kind of answer: "what year" is "when". */
export const FOCUS_NOUNS: Record<string, 'time' | 'place' | 'person' | 'reason' | 'quantity' | 'manner'> = wordTable({
  year: 'time', date: 'time', time: 'time', day: 'time', month: 'time', century: 'time', decade: 'time', era: 'time', period: 'time',
  place: 'place', location: 'place', person: 'person', reason: 'reason', number: 'quantity', amount: 'quantity', way: 'manner', method: 'manner',
})

/** "how" + one of these asks for a quantity ("how many", "how old"). */
export const HOW_QUANTITY = new Set(['many', 'much', 'old', 'long', 'far', 'big', 'tall', 'large', 'high', 'deep', 'heavy', 'often', 'wide', 'fast', 'early', 'late', 'soon'])

/** Words of degree: "more"/"most" against "less"/"least" compare in opposite directions. */
export const DEGREE_WORDS: Record<string, 'up' | 'down'> = wordTable({ more: 'up', most: 'up', less: 'down', least: 'down', fewer: 'down', fewest: 'down' })

/** Prepositions that carry meaning a question's answer depends on: content words like nouns and verbs. */
export const RELATION_WORDS = new Set(['before', 'after', 'above', 'below', 'without', 'since', 'until', 'during', 'inside', 'outside', 'against', 'between', 'versus', 'vs', 'except', 'per'])

/** Particles and prepositions whose opposite turns a question around ("turn the light on" / "off"); not required, only opposed. */
export const OPPOSITE_PARTICLES: Record<string, string> = wordTable({ on: 'off', off: 'on', up: 'down', down: 'up', in: 'out', out: 'in', like: 'unlike', unlike: 'like', with: 'without' })

/** Lower-case abbreviations that are ordinary nouns, not names ("my ATM PIN"). */
export const COMMON_ACRONYMS = new Set('atm pin id tv pc dna rna pdf url usb gps sms faq app api cpu gpu ram ssd ok vs etc'.split(' '))

/**
 * Relation words whose two sides are not interchangeable: "convert a string to a list" asks the
 * opposite of "convert a list to a string". Symmetric ones ("vs", "and", "between") are left out,
 * and so are "in"/"of"/"for", whose sides move freely in paraphrases ("in Python, how do I…").
 * Only prepositions count: the "to" of "how to migrate" relates nothing.
 */
export const DIRECTED_RELATIONS: Record<string, string> = { to: 'to', into: 'to', onto: 'to', from: 'from', before: 'before', after: 'after' }
