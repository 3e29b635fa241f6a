/**
 * npm run judge:transfer [-- --json]   (or: nice -n 15 npx tsx scripts/judge-transfer.ts)
 * Leave-one-set-out transfer of the learned judge: the proxy for domains it never saw, and what
 * chose its model and features (training/judge-recipe.ts). For each "_ship" set: train on
 * the other sets' train halves (plus the authored pairs, and mined negatives not mined from the
 * left-out set), score the left-out set's train half — unseen in that fold, and never the held-out
 * halves that bench:judges reports. Banking77 is never trained on, so it is scored once with
 * everything else trained. QQP and MRPC are never touched.
 * Columns: none (static cosine), guard (cosine, guard rejections last), the shipped-before trees
 * (150 monotone depth-3 trees, 26 features, no mined negatives), the same trees with the mined
 * negatives, and the logistic model, alone and after the guard. About 2 minutes on one core.
 * Exits 0 with a note when ../shared/data is absent.
 */
import { loadNameLexicon } from '../src/core/guard/names.js'
import { loadStaticEmbedder } from '../src/embed/static-embedder.js'
import { recallAtPrecision, rocAuc, type ScoredLabel } from '../src/scoring/ranking-metrics.js'
import { boostedLogit } from '../training/boosted-trees.js'
import { loadIdfTable } from '../src/judge/learned/idf-table.js'
import { readSharedPairs, sharedPairsDir, TRAINING_SETS } from '../training/judge-data-sets.js'
import { fitJudgeModel, modelRow } from '../training/judge-recipe.js'
import { logit } from '../src/judge/learned/logistic-model.js'
import { FEATURE_DIRECTION, PAIR_FEATURES } from '../src/judge/learned/pair-features.js'
import { assembleTrainingData, MINED_FROM, scorePair, setBalancedWeights, type ScoredPair, type TrainingRow } from '../training/training-data.js'
import { DEFAULT_BOOSTING, trainBoostedTrees } from '../training/train-boosted-trees.js'
import { loadWordSimilarity } from '../src/embed/word-similarity.js'

const json = process.argv.includes('--json')
const say = (message: string): void => {
  if (!json) console.error(message)
}
const dir = sharedPairsDir()
if (!dir) {
  const note = 'judge:transfer: skipped, ../shared/data/pairs is absent (the pair sets live there, not in the package).'
  console.log(json ? JSON.stringify({ skipped: true, reason: note }) : note)
  process.exit(0)
}

// The recipe shipped before the logistic model: its 26 features (ordered_overlap came later), monotone trees.
const TREE_FEATURES = PAIR_FEATURES.filter((name) => name !== 'ordered_overlap')
const TREE_COLUMNS = TREE_FEATURES.map((name) => PAIR_FEATURES.indexOf(name))
const BOOSTING = { ...DEFAULT_BOOSTING, monotone: TREE_FEATURES.map((name) => FEATURE_DIRECTION[name]) }
const treeRow = (x: readonly number[]) => TREE_COLUMNS.map((j) => x[j])
const fitTrees = (rows: TrainingRow[]) => {
  const model = trainBoostedTrees(rows.map((r) => treeRow(r.x)), rows.map((r) => r.equivalent), setBalancedWeights(rows), BOOSTING)
  return (p: ScoredPair) => boostedLogit(model, treeRow(p.x))
}
const fitLogistic = (rows: TrainingRow[]) => {
  const model = fitJudgeModel(rows)
  return (p: ScoredPair) => logit(model, modelRow(p.x))
}

const tools = { embedder: loadStaticEmbedder(), resources: { idf: loadIdfTable(), words: loadWordSimilarity(), lexicon: loadNameLexicon() } }
const { rows, minedSets } = assembleTrainingData(dir, tools)
say(`judge:transfer: ${rows.length} training pairs (mined: ${minedSets.join(', ')})`)

const COLUMNS = ['none', 'guard', 'trees (before)', 'trees + mined', 'logistic (shipped)', 'logistic after guard'] as const
type Column = (typeof COLUMNS)[number]
interface Figures {
  auc: number
  recall95: number
  recall99: number
}
const measure = (items: ScoredLabel[]): Figures => ({ auc: rocAuc(items), recall95: recallAtPrecision(items, 0.95).recall, recall99: recallAtPrecision(items, 0.99).recall })

const results = [...TRAINING_SETS, 'banking77_intent_ship'].map((target) => {
  say(`judge:transfer: leaving out ${target} ...`)
  const others = rows.filter((r) => r.set !== target && MINED_FROM[r.set] !== target)
  const before = others.filter((r) => !minedSets.includes(r.set))
  const trees = fitTrees(before)
  const treesMined = fitTrees(others)
  const logistic = fitLogistic(others)
  // The left-out set's train half: not trained on in this fold, and never the held-out half bench:judges reports.
  const test = readSharedPairs(dir, target, 'train').map((p) => scorePair(p, tools))
  const scored = (score: (p: ScoredPair) => number) => measure(test.map((p) => ({ score: score(p), positive: p.equivalent })))
  const logisticScores = new Map(test.map((p) => [p, logistic(p)]))
  const figures: Record<Column, Figures> = {
    none: scored((p) => p.cosine),
    guard: scored((p) => (p.guardPass ? p.cosine : -2)),
    'trees (before)': scored(trees),
    'trees + mined': scored(treesMined),
    'logistic (shipped)': scored((p) => logisticScores.get(p)!),
    'logistic after guard': scored((p) => (p.guardPass ? logisticScores.get(p)! : -Infinity)),
  }
  return { set: target, pairs: test.length, positives: test.filter((p) => p.equivalent).length, figures }
})
const mean = (column: Column, key: keyof Figures) => results.reduce((s, r) => s + r.figures[column][key], 0) / results.length
const means = Object.fromEntries(COLUMNS.map((c) => [c, { auc: mean(c, 'auc'), recall95: mean(c, 'recall95'), recall99: mean(c, 'recall99') }]))

if (json) console.log(JSON.stringify({ results, means }, null, 2))
else {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '  -  ')
  console.log(`\nLeave one set out (trained without the set, scored on its held-out half): ROC-AUC / R@95%P / R@99%P\n`)
  console.log(`| left-out set | pairs (pos) | ${COLUMNS.join(' | ')} |\n|---|---|${COLUMNS.map(() => '---|').join('')}`)
  for (const r of results) console.log(`| ${r.set} | ${r.pairs} (${r.positives}) | ${COLUMNS.map((c) => `${f(r.figures[c].auc)} / ${f(r.figures[c].recall95)} / ${f(r.figures[c].recall99)}`).join(' | ')} |`)
  console.log(`| mean | | ${COLUMNS.map((c) => `${f(means[c].auc)} / ${f(means[c].recall95)} / ${f(means[c].recall99)}`).join(' | ')} |`)
}
