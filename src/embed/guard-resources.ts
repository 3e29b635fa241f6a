import type { GuardResources } from '../core/guard/guard.js'
import { loadNameLexicon } from '../core/guard/names.js'
import { wordCosine } from './word-similarity.js'

/** What the shipped guard reads questions with: the name lexicon and the GloVe vectors (fixtures/). */
export function shippedGuardResources(): GuardResources {
  return { names: loadNameLexicon(), match: { wordSimilarity: wordCosine() } }
}
