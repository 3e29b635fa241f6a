import { describe, expect, it } from 'vitest'
import { checkGuard } from '../../src/core/guard/guard.js'

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

describe('checkGuard, sharpened', () => {
  it('reads a negation by what it negates: the same predicate negated on one side only', () => {
    // Given the same predicate, negated on one side
    expect(checkGuard('what did the normans not speak', 'what did the normans speak').reasons).toEqual([{ kind: 'negation', detail: 'negation of "speak" in the query only' }])
    expect(checkGuard('which countries have no army', 'which countries have an army').reasons[0].kind).toBe('negation')
    // But a negation about something the other side does not mention is not a mismatch
    expect(checkGuard("I haven't received my card", 'can you track my card for me').reasons.map((r) => r.kind)).not.toContain('negation')
    expect(checkGuard('which birds cannot fly', 'which birds are flightless').pass).toBe(true)
  })

  it('ignores what a self-correction takes back, and requires what replaces it', () => {
    // Given disfluent rewrites ("X no Y", "X I mean Y", "or rather")
    expect(checkGuard('What was Shrewsbury\'s conclusion?', "What was Twigg's conclusion no rather Shrewsbury's conclusion?").pass).toBe(true)
    expect(checkGuard('What network was designed by the french', 'What network was directed no designed by the french?').pass).toBe(true)
    expect(checkGuard('Why do firms substitute equipment for workers?', 'How do firms or rather why do firms substitute equipment for workers?').pass).toBe(true)
    expect(checkGuard('When did England declare war on France?', 'When did Newcastle no um England declare war on France?').pass).toBe(true)
    // Then the correction itself still counts: "no Germany" replaces France
    expect(checkGuard('population of France', 'population of France no sorry Germany', lexicon).reasons.map((r) => r.kind)).toEqual(['entity'])
  })

  it('matches a name in the plural, and does not take shouting, pronoun contractions or common acronyms for names', () => {
    expect(checkGuard('Where are the Grove houses?', 'Where are the Groves houses?').pass).toBe(true)
    expect(checkGuard('HOW LONG DOES THE CARD TAKE TO ARRIVE', 'how long does the card take to arrive').pass).toBe(true)
    expect(checkGuard("I'm unable to use my card", 'unable to use my card').pass).toBe(true)
    expect(checkGuard('Where is the nearest ATM?', 'where is the nearest cash machine or atm').pass).toBe(true)
  })

  it('reads decimal amounts whole and ignores comparatives that compare nothing', () => {
    expect(checkGuard('I was charged $1.00 extra', 'I was charged $1 extra').pass).toBe(true)
    expect(checkGuard('a fee of 2.50 euros', 'a fee of 2.75 euros').reasons.map((r) => r.kind)).toEqual(['number'])
    expect(checkGuard('how do I top up my card', 'how can I add money to my card').reasons.map((r) => r.kind)).not.toContain('comparative')
    expect(checkGuard('I no longer have my card', 'I do not have my card').reasons.map((r) => r.kind)).not.toContain('comparative')
  })

  it('needs generic comparatives on both sides to differ, but a dimension on one side is enough', () => {
    expect(checkGuard('what happened before the war', 'what happened after the war').reasons[0].kind).toBe('comparative')
    expect(checkGuard('what to do after a lost pin', 'what to do with a lost pin').pass).toBe(true)
    expect(checkGuard('tallest building in Paris', 'building in Paris', lexicon).reasons[0].kind).toBe('comparative')
  })

  it('rejects two words swapped across the same directed relation, but not words that move freely', () => {
    // Given questions that keep every word but swap the two sides of "to" / "into" / "from"
    const swap = checkGuard('how do I convert a string to a list in python', 'how do I convert a list into a string in python')
    // Then the guard names the swap
    expect(swap.reasons).toEqual([{ kind: 'role', detail: 'roles swapped: "string to list" vs "list to string"' }])
    expect(checkGuard('how to migrate from mysql to postgres', 'migrating postgres to mysql').reasons.map((r) => r.kind)).toEqual(['role'])
    // And words that move without changing the question, or symmetric relations, pass
    expect(checkGuard('in Python, how do I sort a list?', 'how do I sort a list in Python?').pass).toBe(true)
    expect(checkGuard('flights from Paris to London', 'flights to London from Paris').pass).toBe(true)
    expect(checkGuard('python vs java speed', 'java vs python speed').pass).toBe(true)
    expect(checkGuard('how to migrate from mysql to postgres', 'how do I move from mysql to postgres').pass).toBe(true)
  })
})
