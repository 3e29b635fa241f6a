/**
 * npm run judge:ceiling [-- --set qqp_dev_4k_evalonly] [-- --show 25] [-- --json]
 * A diagnostic, not a judge: how far can ANY model over the learned judge's features go on one pair
 * set if it were trained on that very set? Five-fold cross-validation inside the set (pair i is in
 * fold i mod 5): logistic regression and 150 depth-3 boosted trees over all PAIR_FEATURES, each
 * scored only on the fold it did not see. This is the one place evaluation-only labels (QQP, MRPC)
 * train anything: nothing it fits is kept, shipped or used to choose the shipped recipe. It answers
 * whether a goal is out of reach of the features themselves, whatever the training data.
 * --show N lists the N highest-ranked non-equivalent pairs of the trees (what blocks high precision).
 * Exits 0 with a note when ../shared/data is absent.
 */
import { loadEntityLexicon } from '../src/core/entity-lexicon.js'
import { loadStaticEmbedder } from '../src/embed/static-embedder.js'
import { recallAtPrecision, rocAuc, type ScoredLabel } from '../src/eval/metrics.js'
import { boostedLogit } from '../src/judge/learned/boosted-trees.js'
import { loadIdfTable } from '../src/judge/learned/idf-table.js'
import { readSharedPairs, sharedPairsDir } from '../src/judge/learned/judge-data-sets.js'
import { logit, trainLogistic } from '../src/judge/learned/logistic-model.js'
import { PAIR_FEATURES } from '../src/judge/learned/pair-features.js'
import { scorePair, type ScoredPair } from '../src/judge/learned/training-data.js'
import { DEFAULT_BOOSTING, trainBoostedTrees } from '../src/judge/learned/train-boosted-trees.js'
import { loadWordSimilarity } from '../src/judge/learned/word-similarity.js'

const arg = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback)
const json = process.argv.includes('--json')
const setName = arg('--set', 'qqp_dev_4k_evalonly')
const show = Number(arg('--show', '0'))
const FOLDS = 5

const dir = sharedPairsDir()
if (!dir) {
  const note = 'judge:ceiling: skipped, ../shared/data/pairs is absent (the pair sets live there, not in the package).'
  console.log(json ? JSON.stringify({ skipped: true, reason: note }) : note)
  process.exit(0)
}

const tools = { embedder: loadStaticEmbedder(), resources: { idf: loadIdfTable(), words: loadWordSimilarity(), lexicon: loadEntityLexicon() } }
const pairs = readSharedPairs(dir, setName, 'all').map((p) => scorePair(p, tools))
if (!json) console.error(`judge:ceiling: ${setName}, ${pairs.length} pairs, ${FOLDS}-fold cross-validation ...`)

const logistic: number[] = []
const trees: number[] = []
for (let fold = 0; fold < FOLDS; fold++) {
  const train = pairs.filter((_, i) => i % FOLDS !== fold)
  const features = train.map((p) => p.x)
  const labels = train.map((p) => p.equivalent)
  const linear = trainLogistic([...PAIR_FEATURES], features, labels, { l2: 0.01 })
  const boosted = trainBoostedTrees(features, labels, train.map(() => 1), DEFAULT_BOOSTING)
  pairs.forEach((p, i) => {
    if (i % FOLDS !== fold) return
    logistic[i] = logit(linear, p.x)
    trees[i] = boostedLogit(boosted, p.x)
  })
}

const measure = (score: (p: ScoredPair, i: number) => number) => {
  const items: ScoredLabel[] = pairs.map((p, i) => ({ score: score(p, i), positive: p.equivalent }))
  return { auc: rocAuc(items), recall95: recallAtPrecision(items, 0.95).recall, recall90: recallAtPrecision(items, 0.9).recall }
}
const rows = {
  'static cosine (no training)': measure((p) => p.cosine),
  'logistic, in-set CV': measure((_, i) => logistic[i]),
  'boosted trees, in-set CV': measure((_, i) => trees[i]),
}
const ranked = pairs.map((p, i) => ({ p, score: trees[i] })).sort((x, y) => y.score - x.score)
const topNegatives = ranked
  .map((r, rank) => ({ rank: rank + 1, a: r.p.a, b: r.p.b, equivalent: r.p.equivalent }))
  .filter((r) => !r.equivalent)
  .slice(0, show)

if (json) console.log(JSON.stringify({ set: setName, pairs: pairs.length, folds: FOLDS, ceiling: rows, topNegatives }, null, 2))
else {
  const f = (x: number) => x.toFixed(3)
  console.log(`\n${setName}: ROC-AUC / R@95%P / R@90%P (each pair scored by a model that never saw its fold)\n`)
  for (const [label, r] of Object.entries(rows)) console.log(`  ${label.padEnd(28)} ${f(r.auc)} / ${f(r.recall95)} / ${f(r.recall90)}`)
  if (topNegatives.length > 0) console.log(`\nHighest-ranked non-equivalent pairs (rank among ${pairs.length}):`)
  for (const r of topNegatives) console.log(`  ${String(r.rank).padStart(5)}  ${r.a}  ||  ${r.b}`)
}
