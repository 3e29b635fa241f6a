import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { readEnglish } from '../../../src/core/guard/english.js'
import { fixturePath } from '../../../src/core/util/package-paths.js'
import { findRepairs } from '../../../src/core/guard/repair.js'

const repaired = (text: string) => {
  const tokens = readEnglish(text)
  const { removed, repairs } = findRepairs(tokens)
  return { kept: tokens.filter((_, i) => !removed.has(i)).map((t) => t.text).join(' '), repairs }
}

describe('findRepairs', () => {
  it('takes back a restart, an exact copy, a run of the same part of speech, and a substitution at the end', () => {
    expect(repaired('What do petrologists no what do unstable isotope studies indicate?').kept).toBe('what do unstable isotope studies indicate ?')
    expect(repaired('What is the second level of division in Poland no make that the basic unit of division in Warsaw?').kept).toBe('What is the basic unit of division in Warsaw ?')
    expect(repaired('What profession does Irena Bajerska no Zbigniew Marek have?')).toEqual({ kept: 'What profession does Zbigniew Marek have ?', repairs: [{ cue: 'no', reparandum: 'Irena Bajerska' }] })
    expect(repaired('When was Frankfurt ranked as the most liveable city, no sorry it was Warsaw?').kept).toBe('When was ranked as the most liveable city , Warsaw ?')
  })

  it('removes hesitations even where nothing is taken back, and leaves ordinary uses of cue words', () => {
    expect(repaired('um what is the capital of peru').kept).toBe('what is the capital of peru')
    for (const text of ['which countries have no army', 'I would rather pay by card than in cash', 'how long do I have to wait for my card', 'what does dna mean']) {
      expect(repaired(text)).toEqual({ kept: readEnglish(text).map((t) => t.text).join(' '), repairs: [] })
    }
  })

  it('uses cues learned from the Disfl-QA training split only, each counted as a cue far more than in fluent questions', () => {
    const file = JSON.parse(readFileSync(fixturePath('lexicon', 'repair-cues.json'), 'utf8')) as { source: string; precision: number; cues: { phrase: string; asCue: number; inFluent: number }[] }
    expect(file.source).toMatch(/train\.json.*train half/)
    expect(file.cues.map((c) => c.phrase)).toEqual(expect.arrayContaining(['no make that', 'or rather', 'i mean', 'sorry']))
    for (const c of file.cues) expect(c.asCue / (c.asCue + c.inFluent)).toBeGreaterThanOrEqual(file.precision)
  })
})
