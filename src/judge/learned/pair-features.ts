import { checkGuard, type GuardReasonKind } from '../../core/guard/guard.js'
import { hasContrast } from './contrast-words.js'
import type { PreparedQuestion } from './prepared-question.js'
import { jaccard, lcsLength, orderAgreement, wordBigrams } from './sequence-overlap.js'
import { align, substitutionSimilarity } from './word-alignment.js'

/** Feature names, in the order pairFeatures returns them and the weights file lists them. */
export const PAIR_FEATURES = [
  'cosine',
  'exact_cover_min',
  'exact_cover_max',
  'soft_cover_min',
  'soft_cover_max',
  'missing_idf_max',
  'missing_idf_min',
  'missing_soft_max',
  'substitution_similarity',
  'contrast_words',
  'missing_words_max',
  'missing_words_min',
  'guard_entity',
  'guard_number',
  'guard_date',
  'guard_unit',
  'guard_negation',
  'guard_comparative',
  'guard_question_type',
  'length_ratio',
  'min_length',
  'char_jaccard',
  'bigram_jaccard',
  'lcs_ratio',
  'order_agreement',
  'same_first_word',
  'ordered_overlap',
  'guard_role',
] as const

export type PairFeature = (typeof PAIR_FEATURES)[number]

/**
 * How the score may move as a feature grows (+1 up, -1 down, 0 either way), imposed on the trees:
 * more shared words or a higher cosine never lower it; a missing word, an opposite or a guard flag
 * never raise it. Order and word-vector features stay free: PAWS swaps keep every word, and word
 * vectors put "read" next to "write". (Leave-one-set-out on train halves: mean ROC-AUC 0.712 vs 0.698 free.)
 */
export const FEATURE_DIRECTION: Record<PairFeature, -1 | 0 | 1> = {
  cosine: 1,
  exact_cover_min: 1,
  exact_cover_max: 1,
  soft_cover_min: 0,
  soft_cover_max: 0,
  missing_idf_max: -1,
  missing_idf_min: -1,
  missing_soft_max: 0,
  substitution_similarity: 0,
  contrast_words: -1,
  missing_words_max: -1,
  missing_words_min: -1,
  guard_entity: -1,
  guard_number: -1,
  guard_date: -1,
  guard_unit: -1,
  guard_negation: -1,
  guard_comparative: -1,
  guard_question_type: -1,
  guard_role: -1,
  length_ratio: 0,
  min_length: 0,
  char_jaccard: 0,
  bigram_jaccard: 0,
  lcs_ratio: 0,
  order_agreement: 0,
  same_first_word: 0,
  ordered_overlap: 1,
}

/** The guard's reasons the model was trained on; the content-word reasons are newer than its weights and only gate it. */
const GUARD_FEATURES: Partial<Record<GuardReasonKind, PairFeature>> = {
  entity: 'guard_entity',
  number: 'guard_number',
  date: 'guard_date',
  unit: 'guard_unit',
  negation: 'guard_negation',
  comparative: 'guard_comparative',
  'question-type': 'guard_question_type',
  role: 'guard_role',
}

/**
 * The features of one (query, candidate) pair, in PAIR_FEATURES order. `cosine` is the
 * look-up's similarity from the embedder the model was trained with (the static one).
 */
export function pairFeatures(a: PreparedQuestion, b: PreparedQuestion, cosine: number): number[] {
  const ab = align(a, b)
  const ba = align(b, a)
  const longest = Math.max(a.tokens.length, b.tokens.length)
  const shortest = Math.min(a.tokens.length, b.tokens.length)
  const exactCoverMin = Math.min(ab.exactCover, ba.exactCover)
  const order = orderAgreement(a.stems, b.stems)
  const values: Record<PairFeature, number> = {
    cosine,
    exact_cover_min: exactCoverMin,
    exact_cover_max: Math.max(ab.exactCover, ba.exactCover),
    soft_cover_min: Math.min(ab.softCover, ba.softCover),
    soft_cover_max: Math.max(ab.softCover, ba.softCover),
    missing_idf_max: Math.max(ab.missingIdfMax, ba.missingIdfMax),
    missing_idf_min: Math.min(ab.missingIdfMax, ba.missingIdfMax),
    missing_soft_max: Math.max(ab.missingSoftMax, ba.missingSoftMax),
    substitution_similarity: substitutionSimilarity(ab, ba),
    contrast_words: hasContrast(ab.missingStems, ba.missingStems) ? 1 : 0,
    missing_words_max: Math.max(ab.missingContentWords, ba.missingContentWords),
    missing_words_min: Math.min(ab.missingContentWords, ba.missingContentWords),
    guard_entity: 0,
    guard_number: 0,
    guard_date: 0,
    guard_unit: 0,
    guard_negation: 0,
    guard_comparative: 0,
    guard_question_type: 0,
    guard_role: 0,
    length_ratio: longest === 0 ? 1 : shortest / longest,
    min_length: shortest,
    char_jaccard: jaccard(a.charGrams, b.charGrams),
    bigram_jaccard: jaccard(wordBigrams(a.stems), wordBigrams(b.stems)),
    lcs_ratio: longest === 0 ? 1 : lcsLength(a.stems, b.stems) / longest,
    order_agreement: order,
    same_first_word: a.tokens[0] === b.tokens[0] ? 1 : 0,
    // All words shared and in the same order: how a linear model tells a PAWS swap from a paraphrase.
    ordered_overlap: exactCoverMin * order,
  }
  for (const reason of checkGuard(a.analysis, b.analysis).reasons) {
    const feature = GUARD_FEATURES[reason.kind]
    if (feature) values[feature] = 1
  }
  return PAIR_FEATURES.map((name) => values[name])
}
