import { describe, expect, it } from 'vitest'
import { loadNameLexicon } from '../../src/core/guard/names.js'
import { cosineSimilarity } from '../../src/core/util/vectors.js'
import { loadStaticEmbedder } from '../../src/embed/static-embedder.js'
import { loadIdfTable } from '../../src/judge/learned/idf-table.js'
import { lightStem } from '../../src/judge/learned/light-stem.js'
import { PAIR_FEATURES, pairFeatures, type PairFeature } from '../../src/judge/learned/pair-features.js'
import { prepareQuestion } from '../../src/judge/learned/prepared-question.js'
import { lcsLength, orderAgreement } from '../../src/judge/learned/sequence-overlap.js'
import { loadWordSimilarity } from '../../src/embed/word-similarity.js'

const resources = { idf: loadIdfTable(), words: loadWordSimilarity(), lexicon: loadNameLexicon() }
const embedder = loadStaticEmbedder()

function features(a: string, b: string): Record<PairFeature, number> {
  const cosine = cosineSimilarity(embedder.embedOne(a), embedder.embedOne(b))
  const x = pairFeatures(prepareQuestion(a, resources), prepareQuestion(b, resources), cosine)
  return Object.fromEntries(PAIR_FEATURES.map((name, i) => [name, x[i]])) as Record<PairFeature, number>
}

describe('pairFeatures', () => {
  it('returns one finite value per named feature, the same whichever side is the query', () => {
    // Given a pair of questions
    const a = 'Who wrote the Declaration of Independence?'
    const b = 'who was the author of the declaration of independence'
    // When
    const forward = features(a, b)
    const backward = features(b, a)
    // Then
    expect(Object.keys(forward)).toEqual([...PAIR_FEATURES])
    for (const name of PAIR_FEATURES) {
      expect(Number.isFinite(forward[name])).toBe(true)
      expect(backward[name]).toBeCloseTo(forward[name], 6)
    }
  })

  it('sees a word swap in the order features that a paraphrase keeps', () => {
    // Given a question, a paraphrase of it and the same words in another order
    const query = 'how do I convert a list to a string in python'
    const paraphrase = features(query, 'how can I convert a list into a string in python')
    const swap = features(query, 'how do I convert a string to a list in python')
    // Then the swap has every word but not their order
    expect(swap.exact_cover_min).toBe(1)
    expect(swap.order_agreement).toBeLessThan(paraphrase.order_agreement)
    expect(paraphrase.order_agreement).toBe(1)
    // and ordered_overlap (all words shared, in order) is full only for the unchanged question
    expect(features(query, query).ordered_overlap).toBe(1)
    expect(swap.ordered_overlap).toBeLessThan(1)
    expect(swap.ordered_overlap).toBeCloseTo(swap.exact_cover_min * swap.order_agreement, 12)
  })

  it('sets the date flag for a different year, and not for a rewording of the same year', () => {
    // Given
    const otherYear = features('population of France in 2020', 'population of France in 2021')
    const sameYear = features('population of France in 2020', 'how many people lived in France in 2020')
    // Then
    expect(otherYear.guard_date).toBe(1)
    expect(sameYear.guard_date).toBe(0)
  })

  it('names the rare word one side lacks, and rates a substitution by its word vectors', () => {
    // Given one word changed for an unrelated one, and one changed for a near-synonym
    const unrelated = features('what is the capital of australia', 'what is the currency of australia')
    const identical = features('what is the capital of australia', 'what is the capital of australia')
    // Then
    expect(unrelated.missing_idf_min).toBeGreaterThan(2)
    expect(identical.missing_idf_max).toBe(0)
    expect(identical.substitution_similarity).toBe(1)
    expect(unrelated.exact_cover_min).toBeLessThan(1)
  })
})

describe('sequence overlap', () => {
  it('measures the longest common subsequence and the order of shared words', () => {
    expect(lcsLength(['a', 'b', 'c', 'd'], ['a', 'c', 'd', 'b'])).toBe(3)
    expect(orderAgreement(['from', 'london', 'to', 'paris'], ['from', 'paris', 'to', 'london'])).toBeLessThan(1)
    expect(orderAgreement(['x', 'y'], ['y', 'x'])).toBe(0)
    expect(orderAgreement(['x'], ['x'])).toBe(1)
  })
})

describe('lightStem', () => {
  it('joins inflections of one word and keeps different words apart', () => {
    expect(new Set(['peel', 'peels', 'peeling', 'peeled'].map(lightStem)).size).toBe(1)
    expect(lightStem('stopped')).toBe(lightStem('stop'))
    expect(lightStem('buy')).not.toBe(lightStem('sell'))
    expect(lightStem('2020')).toBe('2020')
  })
})
