import { describe, expect, it } from 'vitest'
import { checkGuard } from '../../src/core/guard.js'

const lexicon = new Set(['france', 'germany', 'jefferson'])

describe('checkGuard', () => {
  it('passes a paraphrase that pins down the same things', () => {
    // Given two wordings of one question
    const verdict = checkGuard('who wrote the declaration of independence', 'who was the author of the declaration of independence', lexicon)
    // Then nothing differs
    expect(verdict).toEqual({ pass: true, reasons: [] })
  })

  it('rejects a different year, naming it', () => {
    const verdict = checkGuard('population of France in 2021', 'population of France in 2020', lexicon)
    expect(verdict.pass).toBe(false)
    expect(verdict.reasons).toEqual([{ kind: 'date', detail: 'date "2021" vs "2020"' }])
  })

  it('rejects a different entity, also in lower case when the lexicon knows the name', () => {
    const verdict = checkGuard('population of france', 'population of germany', lexicon)
    expect(verdict.reasons.map((r) => r.kind)).toEqual(['entity'])
    expect(verdict.reasons[0].detail).toContain('"france"')
  })

  it('rejects capitalised names missing on the other side without a lexicon', () => {
    expect(checkGuard('Where was Obama born?', 'Where was Lincoln born?').reasons[0].kind).toBe('entity')
  })

  it('rejects different numbers, including number words', () => {
    expect(checkGuard('top 5 films of the decade', 'top 10 films of the decade').reasons.map((r) => r.kind)).toContain('number')
    expect(checkGuard('who was the third president', 'who was the fourth president').reasons[0].kind).toBe('number')
    expect(checkGuard('a list of two things', 'a list of 2 things').pass).toBe(true)
  })

  it('rejects different units and currencies', () => {
    expect(checkGuard('distance to the moon in km', 'distance to the moon in miles').reasons[0].kind).toBe('unit')
    expect(checkGuard('price of gold in $', 'price of gold in euros').reasons[0].kind).toBe('unit')
  })

  it('rejects negation on one side only', () => {
    expect(checkGuard('which birds can fly', 'which birds cannot fly').reasons[0].kind).toBe('negation')
    expect(checkGuard("which birds don't fly", 'which birds fly').reasons[0].kind).toBe('negation')
  })

  it('rejects opposite superlatives but accepts synonyms', () => {
    expect(checkGuard('largest city in Germany', 'smallest city in Germany', lexicon).reasons[0].kind).toBe('comparative')
    expect(checkGuard('largest city in Germany', 'biggest city in Germany', lexicon).pass).toBe(true)
  })

  it('rejects a different question type, but "what" is compatible with any', () => {
    expect(checkGuard('when was the eiffel tower built', 'where was the eiffel tower built').reasons[0].kind).toBe('question-type')
    expect(checkGuard('when was the eiffel tower built', 'what year was the eiffel tower built').pass).toBe(true)
    expect(checkGuard('how many people live in paris', 'what is the population of paris').reasons).toEqual([])
  })

  it('reads months as dates only where they are dates', () => {
    expect(checkGuard('events in May 2020', 'events in June 2020').reasons[0].kind).toBe('date')
    expect(checkGuard('what may cause headaches', 'what can cause headaches').pass).toBe(true)
  })
})
