/**
 * npm run judge:ceiling [-- --set qqp_dev_4k_evalonly] [-- --folds 5] [-- --seeds 3] [-- --show 25] [-- --json]
 * A diagnostic, not a judge: how far do two models over the learned judge's features go on one
 * pair set when trained on that very set? K-fold cross-validation inside the set, repeated over
 * shuffles (seeds): logistic regression and 150 depth-3 boosted trees over all PAIR_FEATURES, each
 * pair scored only by models that never saw it. This is the one place evaluation-only labels (QQP,
 * MRPC) train anything: nothing it fits is kept, shipped or used to choose the shipped recipe. It
 * answers whether a goal is out of reach of the features themselves, before any question of
 * training data. (Scores are pooled across folds and some questions recur across pairs: both flatter
 * the figures, which only strengthens an "out of reach".)
 * --show N lists the N highest-ranked non-equivalent pairs of the trees, first shuffle.
 * Exits 0 with a note when ../shared/data is absent.
 */
import { readdirSync } from 'node:fs'
import { loadNameLexicon } from '../src/core/guard/names.js'
import { seededRandom } from '../src/core/util/seeded-random.js'
import { loadStaticEmbedder } from '../src/embed/static-embedder.js'
import { recallAtPrecision, rocAuc, type ScoredLabel } from '../src/scoring/ranking-metrics.js'
import { boostedLogit } from '../training/boosted-trees.js'
import { loadIdfTable } from '../src/judge/learned/idf-table.js'
import { readSharedPairs, sharedPairsDir } from '../training/judge-data-sets.js'
import { logit } from '../src/judge/learned/logistic-model.js'
import { trainLogistic } from '../training/train-logistic.js'
import { PAIR_FEATURES } from '../src/judge/learned/pair-features.js'
import { scorePair, type ScoredPair } from '../training/training-data.js'
import { DEFAULT_BOOSTING, trainBoostedTrees } from '../training/train-boosted-trees.js'
import { loadWordSimilarity } from '../src/embed/word-similarity.js'

const json = process.argv.includes('--json')
const arg = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] ?? '' : fallback)
const whole = (name: string, fallback: string, min: number): number => {
  const value = Number(arg(name, fallback))
  if (!Number.isInteger(value) || value < min) fail(`Expected ${name} to be a whole number of at least ${min}, received "${arg(name, fallback)}".`)
  return value
}
function fail(message: string): never {
  console.error(`judge:ceiling: ${message}`)
  process.exit(2)
}

const dir = sharedPairsDir()
if (!dir) {
  const note = 'judge:ceiling: skipped, ../shared/data/pairs is absent (the pair sets live there, not in the package).'
  console.log(json ? JSON.stringify({ skipped: true, reason: note }) : note)
  process.exit(0)
}
const setName = arg('--set', 'qqp_dev_4k_evalonly')
const sets = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).map((f) => f.replace(/\.jsonl$/, ''))
if (!sets.includes(setName)) fail(`Expected --set to name a pair set in ${dir}, received "${setName}". Sets: ${sets.join(', ')}.`)
const folds = whole('--folds', '5', 2)
const seeds = whole('--seeds', '3', 1)
const show = whole('--show', '0', 0)

const tools = { embedder: loadStaticEmbedder(), resources: { idf: loadIdfTable(), words: loadWordSimilarity(), lexicon: loadNameLexicon() } }
const pairs = readSharedPairs(dir, setName, 'all').map((p) => scorePair(p, tools))
if (!json) console.error(`judge:ceiling: ${setName}, ${pairs.length} pairs, ${folds}-fold cross-validation over ${seeds} shuffle(s) ...`)

/** Pair i's fold under shuffle `seed`: a seeded permutation dealt round-robin into the folds. */
function foldsOf(seed: number): number[] {
  const random = seededRandom(seed)
  const order = pairs.map((_, i) => i)
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  const fold = new Array<number>(pairs.length)
  order.forEach((pair, position) => (fold[pair] = position % folds))
  return fold
}

/** Out-of-fold logits of both models under one shuffle. */
function crossValidate(seed: number): { logistic: number[]; trees: number[] } {
  const fold = foldsOf(seed)
  const logistic: number[] = []
  const trees: number[] = []
  for (let k = 0; k < folds; k++) {
    const train = pairs.filter((_, i) => fold[i] !== k)
    const features = train.map((p) => p.x)
    const labels = train.map((p) => p.equivalent)
    const linear = trainLogistic([...PAIR_FEATURES], features, labels, { l2: 0.01 })
    const boosted = trainBoostedTrees(features, labels, train.map(() => 1), DEFAULT_BOOSTING)
    pairs.forEach((p, i) => {
      if (fold[i] !== k) return
      logistic[i] = logit(linear, p.x)
      trees[i] = boostedLogit(boosted, p.x)
    })
  }
  return { logistic, trees }
}

interface Figures {
  auc: number
  recall95: number
  recall90: number
}
const measure = (score: (p: ScoredPair, i: number) => number): Figures => {
  const items: ScoredLabel[] = pairs.map((p, i) => ({ score: score(p, i), positive: p.equivalent }))
  return { auc: rocAuc(items), recall95: recallAtPrecision(items, 0.95).recall, recall90: recallAtPrecision(items, 0.9).recall }
}
const runs = Array.from({ length: seeds }, (_, s) => {
  const scores = crossValidate(s + 1)
  return { seed: s + 1, scores, logistic: measure((_, i) => scores.logistic[i]), trees: measure((_, i) => scores.trees[i]) }
})
const cosine = measure((p) => p.cosine)
const span = (pick: (r: (typeof runs)[number]) => Figures, key: keyof Figures) => {
  const values = runs.map((r) => pick(r)[key])
  return { min: Math.min(...values), max: Math.max(...values) }
}
const summary = Object.fromEntries(
  (['logistic', 'trees'] as const).map((model) => [model, Object.fromEntries((['auc', 'recall95', 'recall90'] as const).map((key) => [key, span((r) => r[model], key)]))]),
)
const first = runs[0].scores.trees
const topNegatives = pairs
  .map((p, i) => ({ a: p.a, b: p.b, equivalent: p.equivalent, score: first[i] }))
  .sort((x, y) => y.score - x.score)
  .map((r, rank) => ({ rank: rank + 1, a: r.a, b: r.b, equivalent: r.equivalent }))
  .filter((r) => !r.equivalent)
  .slice(0, show)

if (json) {
  const perSeed = runs.map(({ seed, logistic, trees }) => ({ seed, logistic, trees }))
  console.log(JSON.stringify({ set: setName, pairs: pairs.length, folds, seeds, cosine, perSeed, range: summary, topNegatives }, null, 2))
} else {
  const f = (x: number) => x.toFixed(3)
  const range = (r: { min: number; max: number }) => (r.min === r.max ? f(r.min) : `${f(r.min)}–${f(r.max)}`)
  console.log(`\n${setName}: ROC-AUC / R@95%P / R@90%P, ${folds}-fold CV inside the set, range over ${seeds} shuffle(s)\n`)
  console.log(`  ${'static cosine (no training)'.padEnd(28)} ${f(cosine.auc)} / ${f(cosine.recall95)} / ${f(cosine.recall90)}`)
  for (const model of ['logistic', 'trees'] as const) {
    const label = model === 'trees' ? 'boosted trees, in-set CV' : 'logistic, in-set CV'
    console.log(`  ${label.padEnd(28)} ${range(summary[model].auc)} / ${range(summary[model].recall95)} / ${range(summary[model].recall90)}`)
  }
  if (topNegatives.length > 0) console.log(`\nHighest-ranked non-equivalent pairs (boosted trees, shuffle 1; rank among ${pairs.length}):`)
  for (const r of topNegatives) console.log(`  ${String(r.rank).padStart(5)}  ${r.a}  ||  ${r.b}`)
}
