/**
 * npm run train:judge [-- --json]
 * Trains the learned judge (src/judge/learned-judge.ts) and writes fixtures/judge/idf.json,
 * learned-judge.json and training-pairs.txt. Training data: the train halves of TRAINING_SETS
 * (src/judge/learned/judge-data-sets.ts) and the authored pairs, minus any pair that also occurs
 * in an evaluation set. Prints 5-fold out-of-fold figures on the training rows only (logistic
 * regression next to the boosted trees it ships); evaluation sets are for scripts/bench-judges.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { loadEntityLexicon } from '../src/core/entity-lexicon.js'
import { checkGuard } from '../src/core/guard.js'
import { fixturePath } from '../src/core/package-paths.js'
import { cosineSimilarity } from '../src/embed/embedder.js'
import { loadStaticEmbedder } from '../src/embed/static-embedder.js'
import { recallAtPrecision, rocAuc, type ScoredLabel } from '../src/eval/metrics.js'
import { boostedLogit } from '../src/judge/learned/boosted-trees.js'
import { buildIdfFile, IDF_FIXTURE, idfTableFrom } from '../src/judge/learned/idf-table.js'
import {
  AUTHORED_PAIRS_FIXTURE,
  EVALUATION_ONLY_SETS,
  HELDOUT_HALF_SETS,
  readAuthoredPairs,
  readSharedPairs,
  sharedPairsDir,
  TRAINING_HASHES_FIXTURE,
  TRAINING_SETS,
  type LabelledPair,
} from '../src/judge/learned/judge-data-sets.js'
import { featureFingerprint, LEARNED_JUDGE_FIXTURE, type LearnedJudgeWeights } from '../src/judge/learned/judge-weights.js'
import { logit, trainLogistic } from '../src/judge/learned/logistic-model.js'
import { FEATURE_DIRECTION, PAIR_FEATURES, pairFeatures } from '../src/judge/learned/pair-features.js'
import { pairHash, pairListHash } from '../src/judge/learned/pair-hash.js'
import { prepareQuestion } from '../src/judge/learned/prepared-question.js'
import { DEFAULT_BOOSTING, trainBoostedTrees } from '../src/judge/learned/train-boosted-trees.js'
import { loadWordSimilarity } from '../src/judge/learned/word-similarity.js'

const json = process.argv.includes('--json')
const say = (message: string): void => {
  if (!json) console.error(message)
}
const IDF_MIN_DF = 5
const FOLDS = 5
const TARGET_PRECISION = 0.95
const BOOSTING = { ...DEFAULT_BOOSTING, monotone: PAIR_FEATURES.map((name) => FEATURE_DIRECTION[name]) }

// 1. IDF from the shipped corpus (deterministic; no ../shared needed).
const corpus = gunzipSync(readFileSync(fixturePath('corpus', 'wiki-paragraphs.jsonl.gz'))).toString('utf8')
const idfFile = buildIdfFile(
  corpus.split('\n').filter(Boolean).map((line) => {
    const { title, text } = JSON.parse(line) as { title: string; text: string }
    return `${title}\n${text}`
  }),
  IDF_MIN_DF,
  { source: 'fixtures/corpus/wiki-paragraphs.jsonl.gz (SQuAD 1.1 Wikipedia paragraphs)', licence: 'CC BY-SA 4.0' },
)
writeFileSync(fixturePath('judge', IDF_FIXTURE), JSON.stringify(idfFile) + '\n')
say(`train:judge: IDF of ${idfFile.levels.reduce((n, l) => n + l.words.split(' ').length, 0)} words (df >= ${IDF_MIN_DF}) from ${idfFile.documents} paragraphs`)

const dir = sharedPairsDir()
if (!dir) {
  const note = 'train:judge: IDF rebuilt; training skipped: ../shared/data/pairs is absent (the training pairs live there, not in the package).'
  console.log(json ? JSON.stringify({ skipped: true, reason: note }) : note)
  process.exit(0)
}

// 2. Training pairs, with every pair that also occurs in an evaluation set removed.
const evaluationHashes = new Set<string>()
for (const name of HELDOUT_HALF_SETS) for (const p of readSharedPairs(dir, name, 'heldout')) evaluationHashes.add(pairHash(p.a, p.b))
for (const name of EVALUATION_ONLY_SETS) for (const p of readSharedPairs(dir, name, 'all')) evaluationHashes.add(pairHash(p.a, p.b))

interface TrainingRow extends LabelledPair {
  set: string
  hash: string
  x: number[]
  guardPass: boolean
}
const sources: { name: string; pairs: LabelledPair[] }[] = [
  ...TRAINING_SETS.map((name) => ({ name, pairs: readSharedPairs(dir, name, 'train') })),
  { name: 'authored', pairs: readAuthoredPairs() },
]
const seen = new Set<string>()
const dropped: Record<string, number> = {}
const embedder = loadStaticEmbedder()
const lexicon = loadEntityLexicon()
const resources = { idf: idfTableFrom(idfFile), words: loadWordSimilarity(), lexicon }
const rows: TrainingRow[] = []
for (const { name, pairs } of sources) {
  for (const pair of pairs) {
    const hash = pairHash(pair.a, pair.b)
    if (evaluationHashes.has(hash) || seen.has(hash)) {
      dropped[name] = (dropped[name] ?? 0) + 1
      continue
    }
    seen.add(hash)
    const cosine = cosineSimilarity(embedder.embedOne(pair.a), embedder.embedOne(pair.b))
    const x = pairFeatures(prepareQuestion(pair.a, resources), prepareQuestion(pair.b, resources), cosine)
    rows.push({ ...pair, set: name, hash, x, guardPass: checkGuard(pair.a, pair.b, lexicon).pass })
  }
}
const setNames = sources.map((s) => s.name)
const setSize = Object.fromEntries(setNames.map((name) => [name, rows.filter((r) => r.set === name).length]))
// Each set weighs the same in total, so PAWS's 4,000 pairs do not drown 350 authored ones.
const rowWeights = rows.map((r) => rows.length / setNames.length / setSize[r.set])
say(`train:judge: ${rows.length} training pairs (${setNames.map((n) => `${n} ${setSize[n]}`).join(', ')}); dropped as duplicates or evaluation pairs: ${JSON.stringify(dropped)}`)

// 3. Out-of-fold scores on the training rows: the threshold and the figures below come from these.
const fold = (r: TrainingRow) => parseInt(r.hash.slice(0, 2), 16) % FOLDS
const labels = rows.map((r) => r.equivalent)
const outOfFold = { trees: new Array<number>(rows.length), logistic: new Array<number>(rows.length) }
for (let k = 0; k < FOLDS; k++) {
  const inTrain = rows.map((r) => fold(r) !== k)
  const pick = <T>(xs: T[]) => xs.filter((_, i) => inTrain[i])
  const trees = trainBoostedTrees(pick(rows.map((r) => r.x)), pick(labels), pick(rowWeights), BOOSTING)
  const logistic = trainLogistic([...PAIR_FEATURES], pick(rows.map((r) => r.x)), pick(labels), { l2: 1e-3, rowWeights: pick(rowWeights) })
  rows.forEach((r, i) => {
    if (inTrain[i]) return
    outOfFold.trees[i] = boostedLogit(trees, r.x)
    outOfFold.logistic[i] = logit(logistic, r.x)
  })
  say(`train:judge: fold ${k + 1}/${FOLDS}`)
}
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z))
const figures = (indices: number[], scores: number[], withGuard: boolean) => {
  const items: ScoredLabel[] = indices.map((i) => ({ score: withGuard && !rows[i].guardPass ? 0 : sigmoid(scores[i]), positive: labels[i] }))
  return { auc: rocAuc(items), recall95: recallAtPrecision(items, 0.95).recall, recall99: recallAtPrecision(items, 0.99).recall }
}
const cosineFigures = (indices: number[], withGuard: boolean) => {
  const items = indices.map((i) => ({ score: withGuard && !rows[i].guardPass ? -1 : rows[i].x[0], positive: labels[i] }))
  return { auc: rocAuc(items), recall95: recallAtPrecision(items, 0.95).recall, recall99: recallAtPrecision(items, 0.99).recall }
}
const report = setNames.map((name) => {
  const indices = rows.flatMap((r, i) => (r.set === name ? [i] : []))
  return {
    set: name,
    pairs: indices.length,
    guard: cosineFigures(indices, true),
    logistic: figures(indices, outOfFold.logistic, false),
    trees: figures(indices, outOfFold.trees, false),
    guardThenTrees: figures(indices, outOfFold.trees, true),
  }
})
const pooled = rows.map((r, i) => ({ score: sigmoid(outOfFold.trees[i]), positive: labels[i] }))
const operating = recallAtPrecision(pooled, TARGET_PRECISION)

// 4. The shipped model: all training rows.
const started = process.hrtime.bigint()
const trees = trainBoostedTrees(rows.map((r) => r.x), labels, rowWeights, BOOSTING)
const seconds = Number(process.hrtime.bigint() - started) / 1e9
const hashes = [...seen].sort()
const authoredRows = rows.filter((r) => r.set === 'authored').map((r) => r.x)
const mean = (j: number) => rows.reduce((s, r) => s + r.x[j], 0) / rows.length
const means = PAIR_FEATURES.map((_, j) => mean(j))
const weights: LearnedJudgeWeights = {
  format: 'asteria-learned-judge',
  version: 1,
  model: 'gradient-boosted-trees',
  features: [...PAIR_FEATURES],
  means: means.map((m) => Number(m.toPrecision(6))),
  scales: PAIR_FEATURES.map((_, j) => Number(Math.sqrt(rows.reduce((s, r) => s + (r.x[j] - means[j]) ** 2, 0) / rows.length).toPrecision(6))),
  trees,
  threshold: {
    value: Number(operating.threshold.toFixed(4)),
    precision: TARGET_PRECISION,
    recall: Number(operating.recall.toFixed(4)),
    chosenOn: `out-of-fold (${FOLDS}-fold) scores of all training pairs pooled, model alone`,
  },
  cosineEmbedder: embedder.fingerprint,
  training: {
    description:
      `${BOOSTING.trees} trees of depth ${BOOSTING.depth} (learning rate ${BOOSTING.learningRate}, logistic loss, monotone in the features FEATURE_DIRECTION names), ` +
      `each set weighing the same; train halves (src/embed/pair-splits.ts) of ${TRAINING_SETS.join(', ')} and fixtures/judge/${AUTHORED_PAIRS_FIXTURE}, ` +
      'minus pairs that also occur in an evaluation set',
    sets: setNames.map((name) => ({
      name,
      pairs: setSize[name],
      positives: rows.filter((r) => r.set === name && r.equivalent).length,
      weight: Number((rows.length / setNames.length / setSize[name]).toFixed(4)),
    })),
    pairHashesFile: TRAINING_HASHES_FIXTURE,
    pairListHash: pairListHash(hashes),
    heldout: `held-out halves of ${HELDOUT_HALF_SETS.join(', ')}; ${EVALUATION_ONLY_SETS.join(', ')} whole (evaluation only)`,
    featureCheck: featureFingerprint(authoredRows),
  },
}
writeFileSync(fixturePath('judge', LEARNED_JUDGE_FIXTURE), JSON.stringify(weights) + '\n')
writeFileSync(
  fixturePath('judge', TRAINING_HASHES_FIXTURE),
  [
    '# Every pair the learned judge was trained on, as pairHash() (src/judge/learned/pair-hash.ts):',
    `# train halves of ${TRAINING_SETS.join(', ')} (../shared/data/pairs) and ${AUTHORED_PAIRS_FIXTURE}. Written by scripts/train-judge.ts.`,
    ...hashes,
  ].join('\n') + '\n',
)

const result = { pairs: rows.length, dropped, seconds, operatingPoint: weights.threshold, outOfFold: report, bytes: JSON.stringify(weights).length }
if (json) console.log(JSON.stringify(result, null, 2))
else {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '  -  ')
  const cell = (m: { auc: number; recall95: number; recall99: number }) => `${f(m.auc)} ${f(m.recall95)} ${f(m.recall99)}`
  console.log(`\nOut-of-fold on TRAINING pairs only (${FOLDS} folds): ROC-AUC  R@95%P  R@99%P`)
  console.log(`${'set'.padEnd(24)} ${'pairs'.padStart(5)}  ${'guard'.padEnd(17)}  ${'logistic'.padEnd(17)}  ${'trees'.padEnd(17)}  guard, then trees`)
  for (const r of report) console.log(`${r.set.padEnd(24)} ${String(r.pairs).padStart(5)}  ${cell(r.guard)}  ${cell(r.logistic)}  ${cell(r.trees)}  ${cell(r.guardThenTrees)}`)
  console.log(`\nThreshold for ${TARGET_PRECISION} precision (pooled out-of-fold): ${weights.threshold.value} (recall ${weights.threshold.recall})`)
  console.log(`Final fit: ${rows.length} pairs in ${seconds.toFixed(1)} s; weights file ${(result.bytes / 1024).toFixed(0)} KiB; training-pair list hash ${weights.training.pairListHash.slice(0, 12)}`)
}
