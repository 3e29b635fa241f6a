/**
 * The built-in demo: questions, then paraphrases and near-misses of them, with what a
 * correct cache should do. `expect` is shown next to what happened; it never steers the cache.
 */
export interface DemoStep {
  query: string
  expect: 'miss' | 'hit'
  note: string
}

export const DEMO_STEPS: DemoStep[] = [
  { query: 'who wrote the declaration of independence', expect: 'miss', note: 'first time: the source is asked' },
  { query: 'who was the author of the declaration of independence', expect: 'hit', note: 'a paraphrase: served from the cache' },
  { query: 'Who wrote the Declaration of Independence?', expect: 'hit', note: 'the same words: an exact hit after normalisation' },
  { query: 'population of France in 2020', expect: 'miss', note: 'a new question' },
  { query: 'population of France in 2021', expect: 'miss', note: 'a different year: the guard rejects the near-duplicate' },
  { query: 'when did the 1973 oil crisis begin', expect: 'miss', note: 'a new question' },
  { query: 'when did the 1973 oil crisis start', expect: 'hit', note: 'one word changed' },
  { query: 'when did the 1979 oil crisis begin', expect: 'miss', note: 'another year: another crisis' },
  { query: 'what is the largest city in Germany', expect: 'miss', note: 'a new question' },
  { query: 'what is the smallest city in Germany', expect: 'miss', note: 'the opposite superlative: rejected' },
  { query: 'what is the biggest city in Germany', expect: 'hit', note: 'a synonym of the superlative' },
  { query: 'what did the normans speak', expect: 'miss', note: 'a new question' },
  { query: 'what language did the normans speak', expect: 'hit', note: 'a paraphrase' },
  { query: 'what did the normans not speak', expect: 'miss', note: 'negated: rejected' },
]
