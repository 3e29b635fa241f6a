import { tokenize } from './normalize.js'

/**
 * Rule-based staticity (1 = changes by the minute ... 10 = never changes), the offline
 * stand-in for the judge model's score. Volatile words pull it down, historical ones up.
 */
const VOLATILE = new Map<string, number>(Object.entries({
  now: 1, today: 1, tonight: 1, live: 1, weather: 1, forecast: 1, score: 1, scores: 1, traffic: 1,
  stock: 2, stocks: 2, price: 2, prices: 2, rate: 2, rates: 3, trending: 2, breaking: 1, news: 2,
  current: 3, currently: 3, latest: 3, recent: 3, recently: 3, newest: 3, this: 5, week: 3, yesterday: 3,
  tomorrow: 1, upcoming: 3, schedule: 3, standings: 2, election: 4, poll: 3, polls: 3, version: 4, release: 4,
  status: 2, open: 4, available: 4, exchange: 2, bitcoin: 1, crypto: 1,
}))
const HISTORICAL = new Set([
  'history', 'historical', 'invented', 'founded', 'born', 'died', 'wrote', 'written', 'author', 'discovered',
  'ancient', 'century', 'war', 'definition', 'define', 'meaning', 'origin', 'formula', 'theorem', 'capital',
])

export const DEFAULT_STATICITY = 7

export function scoreStaticity(query: string): number {
  const tokens = tokenize(query)
  let score = DEFAULT_STATICITY
  for (const token of tokens) {
    const volatility = VOLATILE.get(token)
    if (volatility !== undefined) score = Math.min(score, volatility)
  }
  if (score === DEFAULT_STATICITY && tokens.some((t) => HISTORICAL.has(t) || /^1\d{3}$/.test(t))) score = 9
  return score
}

/** TTL in ms for each staticity level 1..10 (configurable as `ttlByStaticity`). */
export const DEFAULT_TTL_BY_STATICITY_MS: readonly number[] = [
  5 * 60_000, // 1: minutes
  60 * 60_000, // 2: an hour
  6 * 3_600_000, // 3
  24 * 3_600_000, // 4: a day
  3 * 86_400_000, // 5
  7 * 86_400_000, // 6: a week
  30 * 86_400_000, // 7: a month
  90 * 86_400_000, // 8
  365 * 86_400_000, // 9: a year
  5 * 365 * 86_400_000, // 10: effectively never
]

export function staticityToTtl(staticity: number, table: readonly number[] = DEFAULT_TTL_BY_STATICITY_MS): number {
  const level = Math.min(10, Math.max(1, Math.round(staticity)))
  return table[level - 1]
}
