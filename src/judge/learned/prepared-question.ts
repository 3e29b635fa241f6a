import { normalizeQuery, tokenize } from '../../core/normalize.js'
import { readQuestion } from '../../core/guard/guard.js'
import type { NameLexicon, QuestionAnalysis } from '../../core/guard/question.js'
import type { IdfTable } from './idf-table.js'
import { lightStem } from './light-stem.js'
import type { WordSimilarity } from '../../embed/word-similarity.js'

/** What the pair features need from a question, computed once per look-up (not once per pair). */
export interface PreparedQuestion {
  tokens: string[]
  /** Light stems of the tokens (same order): what counts as "the same word". */
  stems: string[]
  /** IDF of each token (same order). */
  idf: number[]
  /** Unit GloVe vector of each token, null when unknown or numeric. */
  vectors: (Float32Array | null)[]
  /** The question as the guard reads it. */
  analysis: QuestionAnalysis
  /** Character 3-grams of the normalised text, spaces included (crosses word boundaries). */
  charGrams: Set<string>
}

export interface FeatureResources {
  idf: IdfTable
  words: WordSimilarity
  lexicon?: NameLexicon
}

export function prepareQuestion(text: string, resources: FeatureResources): PreparedQuestion {
  const tokens = tokenize(text)
  return {
    tokens,
    stems: tokens.map(lightStem),
    idf: tokens.map((t) => resources.idf.idf(t)),
    // Numbers match only themselves: GloVe puts 2020 next to 2021.
    vectors: tokens.map((t) => (/\d/.test(t) ? null : resources.words.vector(t))),
    analysis: readQuestion(text, { names: resources.lexicon }),
    charGrams: charTrigrams(` ${normalizeQuery(text)} `),
  }
}

export function charTrigrams(text: string): Set<string> {
  const grams = new Set<string>()
  for (let i = 0; i + 3 <= text.length; i++) grams.add(text.slice(i, i + 3))
  return grams
}
