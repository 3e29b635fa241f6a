import { join } from 'node:path'
import { checkGuard } from '../src/core/guard/guard.js'
import { normalizeQuery } from '../src/core/normalize.js'
import type { NameLexicon } from '../src/core/guard/question.js'
import { cosineSimilarity } from '../src/core/util/vectors.js'
import type { StaticEmbedder } from '../src/embed/static-embedder.js'
import { mineHardNegatives } from './hard-negatives.js'
import { EVALUATION_ONLY_SETS, HELDOUT_HALF_SETS, readAuthoredPairs, readSharedPairs, TRAINING_SETS, type LabelledPair } from './judge-data-sets.js'
import { pairFeatures } from '../src/judge/learned/pair-features.js'
import { pairHash } from './pair-hash.js'
import { prepareQuestion, type FeatureResources } from '../src/judge/learned/prepared-question.js'

/** What turns a pair into the model's input. */
export interface FeatureTools {
  embedder: StaticEmbedder
  resources: FeatureResources & { lexicon: NameLexicon }
}

export interface ScoredPair extends LabelledPair {
  /** pairFeatures() of the pair, in PAIR_FEATURES order. */
  x: number[]
  cosine: number
  guardPass: boolean
}

export interface TrainingRow extends ScoredPair {
  set: string
  hash: string
}

export interface TrainingData {
  rows: TrainingRow[]
  /** Every source in training order: the TRAINING_SETS, `authored`, then the mined sets. */
  setNames: string[]
  minedSets: string[]
  /** Per source, pairs dropped as duplicates, exact repeats or evaluation pairs. */
  dropped: Record<string, number>
}

/** Mined hard negatives per source: enough to weigh as a set, few enough to train in seconds. */
export const HARD_NEGATIVES_PER_SOURCE = 3000

/** Which pair set each mined set comes from: leaving that set out must leave its mined negatives out too. */
export const MINED_FROM: Record<string, string> = {
  lcquad_same_entity: 'lcquad2_phrasings_ship',
  // Disfl-QA rewrites SQuAD questions: leaving Disfl-QA out leaves out SQuAD-mined pairs too.
  squad_same_paragraph: 'disflqa_ship',
  banking77_nearest_other_intent: 'banking77_intent_ship',
}

export function scorePair(pair: LabelledPair, tools: FeatureTools): ScoredPair {
  const cosine = cosineSimilarity(tools.embedder.embedOne(pair.a), tools.embedder.embedOne(pair.b))
  const x = pairFeatures(prepareQuestion(pair.a, tools.resources), prepareQuestion(pair.b, tools.resources), cosine)
  return { ...pair, x, cosine, guardPass: checkGuard(pair.a, pair.b, { names: tools.resources.lexicon }).pass }
}

/** Every pair only ever evaluated on (held-out halves, QQP and MRPC whole), as pair hashes and as normalised sentences. */
export function evaluationPairs(pairsDir: string): { hashes: Set<string>; sentences: Set<string> } {
  const hashes = new Set<string>()
  const sentences = new Set<string>()
  const pairs = [
    ...HELDOUT_HALF_SETS.flatMap((name) => readSharedPairs(pairsDir, name, 'heldout')),
    ...EVALUATION_ONLY_SETS.flatMap((name) => readSharedPairs(pairsDir, name, 'all')),
  ]
  for (const p of pairs) {
    hashes.add(pairHash(p.a, p.b))
    sentences.add(normalizeQuery(p.a)).add(normalizeQuery(p.b))
  }
  return { hashes, sentences }
}

/**
 * Mined negatives that share no sentence with an evaluation pair: a mined pair may not even
 * reuse one side of a held-out, QQP or MRPC pair.
 */
export function minedTrainingSets(pairsDir: string, tools: FeatureTools, evaluationSentences: Set<string>): { name: string; pairs: LabelledPair[] }[] {
  const unseen = (text: string) => !evaluationSentences.has(normalizeQuery(text))
  return mineHardNegatives(join(pairsDir, '..'), tools.embedder, tools.resources.idf, HARD_NEGATIVES_PER_SOURCE).map(({ name, pairs }) => ({
    name,
    pairs: pairs.filter((p) => unseen(p.a) && unseen(p.b)),
  }))
}

/**
 * The learned judge's training rows: train halves of TRAINING_SETS, the authored pairs and
 * (unless `mined` is false) the mined hard negatives, each pair once, none an evaluation pair
 * and none an exact repeat.
 */
export function assembleTrainingData(pairsDir: string, tools: FeatureTools, options: { mined: boolean } = { mined: true }): TrainingData {
  const evaluation = evaluationPairs(pairsDir)
  const mined = options.mined ? minedTrainingSets(pairsDir, tools, evaluation.sentences) : []
  const sources = [
    ...TRAINING_SETS.map((name) => ({ name, pairs: readSharedPairs(pairsDir, name, 'train') })),
    { name: 'authored', pairs: readAuthoredPairs() },
    ...mined,
  ]
  const seen = new Set<string>()
  const dropped: Record<string, number> = {}
  const rows: TrainingRow[] = []
  for (const { name, pairs } of sources) {
    for (const pair of pairs) {
      const hash = pairHash(pair.a, pair.b)
      // An exact repeat after normalisation is served before the judge runs: it teaches the judge nothing.
      if (seen.has(hash) || evaluation.hashes.has(hash) || normalizeQuery(pair.a) === normalizeQuery(pair.b)) {
        dropped[name] = (dropped[name] ?? 0) + 1
        continue
      }
      seen.add(hash)
      rows.push({ ...scorePair(pair, tools), set: name, hash })
    }
  }
  return { rows, setNames: sources.map((s) => s.name), minedSets: mined.map((m) => m.name), dropped }
}

/** Row weights under which each set present weighs the same in total (mean weight 1). */
export function setBalancedWeights(rows: readonly { set: string }[]): number[] {
  const size = new Map<string, number>()
  for (const r of rows) size.set(r.set, (size.get(r.set) ?? 0) + 1)
  return rows.map((r) => rows.length / size.size / size.get(r.set)!)
}
