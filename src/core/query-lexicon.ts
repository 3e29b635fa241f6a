/** The word lists the guard reads questions with (src/core/query-facts.ts). */

/** A word table without Object.prototype, so looking up "constructor" or "toString" finds nothing. */
function wordTable<T>(entries: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries)
}

export const STOPWORDS = new Set(
  ('a an the of in on at to for from by with about as into onto over under and or but if then is are was were be been being ' +
    'do does did done have has had what which who whom whose when where why how that this these those it its i you he she we they ' +
    'me my your his her our their them us can could should would will shall may might must please tell show give find list ' +
    'there here than so such very just also any some all each every other another one s').split(' '),
)

/** Capitalised abbreviations that are ordinary nouns, not names ("my ATM PIN"). */
export const COMMON_ACRONYMS = new Set('atm pin id ids tv pc dna rna pdf url usb gps sms faq app api cpu gpu ram ssd ok vs etc'.split(' '))

export const NUMBER_WORDS: Record<string, string> = wordTable({
  zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
  ten: '10', eleven: '11', twelve: '12', thirteen: '13', fourteen: '14', fifteen: '15', sixteen: '16',
  seventeen: '17', eighteen: '18', nineteen: '19', twenty: '20', thirty: '30', forty: '40', fifty: '50',
  hundred: '100', thousand: '1000', million: '1e6', billion: '1e9', dozen: '12',
  first: '1st', second: '2nd', third: '3rd', fourth: '4th', fifth: '5th', sixth: '6th', seventh: '7th',
  eighth: '8th', ninth: '9th', tenth: '10th', '1st': '1st', '2nd': '2nd', '3rd': '3rd',
})

export const DATE_WORDS = new Set(
  ('january february march april may june july august september october november december ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday ' +
    'yesterday today tomorrow tonight').split(' '),
)
// "may" and "march" are verbs too; only count them as dates next to a number or "in".
export const AMBIGUOUS_DATE_WORDS = new Set(['may', 'march', 'sun', 'sat'])

export const UNIT_SYNONYMS: Record<string, string> = wordTable({
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
})
export const CURRENCY_SYMBOLS: Record<string, string> = wordTable({ $: 'usd', '€': 'eur', '£': 'gbp', '¥': 'jpy', '₹': 'inr', '%': 'pct' })

export const NEGATIONS = new Set(['not', 'no', 'never', 'without', 'none', 'nobody', 'nothing', 'neither', 'nor', 'cannot', 'except', 'non'])

/** Words between a negation and what it negates ("not yet received", "isn't really working"). */
export const NEGATION_SKIP = new Set(['yet', 'even', 'really', 'ever', 'always', 'quite', 'been', 'be', 'being', 'get', 'got', 'able', 'to', 'a', 'an', 'the', 'any', 'my', 'your', 'it', 'its', 'so', 'too', 'very'])

/** Comparatives and superlatives, folded so that synonyms ("biggest", "largest") agree. */
export const POLAR: Record<string, string> = wordTable({
  largest: 'max-size', biggest: 'max-size', greatest: 'max-size',
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
})
/** Phrases in which a comparative word compares nothing: "top up", "no longer", "more or less". */
export const NOT_POLAR_AFTER: Record<string, string[]> = wordTable({ top: ['up'], more: ['or'] })
export const NOT_POLAR_BEFORE: Record<string, string[]> = wordTable({ longer: ['no', 'any'], less: ['or'], more: ['once', 'any', 'no'] })

/**
 * Self-corrections ("Twigg's no rather Shrewsbury's conclusion", "How, I mean, why ..."): what
 * comes before the last one may have been taken back. Multi-word markers first.
 */
export const REPAIR_MARKERS: string[][] = [
  'no not that but', 'oh not that', 'no scratch that', 'scratch that', 'no wait', 'oh no', 'no no', 'no sorry', 'no rather',
  'or rather', 'i meant to say', 'i mean to say', 'i meant', 'i mean', 'make that', 'or make that', 'no make that',
  'sorry', 'oops', 'uh', 'uhh', 'um', 'umm', 'er', 'erm', 'rather', 'instead', 'i m sorry', 'i am sorry', 'no wow',
].map((m) => m.split(' ')).sort((x, y) => y.length - x.length)
/** A marker word followed by one of these is ordinary English ("rather than", "instead of"). */
export const NOT_REPAIR_BEFORE: Record<string, string[]> = { rather: ['than'], instead: ['of'], sorry: ['for', 'to'] }

/** "no" is a self-correction, not a negation, before these words ("the Presiding Officer no the MSPs"). */
export const REPAIR_AFTER_NO = new Set([
  'the', 'a', 'an', 'in', 'on', 'at', 'of', 'to', 'for', 'from', 'with', 'by', 'what', 'which', 'who', 'when', 'where',
  'how', 'why', 'that', 'it', 'its', 'i', 'wait', 'uh', 'um', 'umm', 'er', 'sorry', 'rather', 'make', 'no', 'not', 'wow', 'oops', 'well', 'actually',
])
