/**
 * npm run bench:judges [-- --json]
 * The offline judges side by side on pairs never trained or tuned on: none (static-embedder
 * cosine only), guard (cosine, guard rejections scored 0), learned after the guard (the
 * pipeline: guard rejections 0, else the model's probability) and the learned model alone.
 * ROC-AUC and recall at 95% and 99% precision, precision and recall of the learned policy at its
 * shipped tau_judge (the weights file's threshold), then the per-candidate time of each judge.
 * Exits 0 with a note when ../shared/data is absent.
 */
import { shippedGuardResources } from '../src/embed/guard-resources.js'
import { checkGuard } from '../src/core/guard/guard.js'
import { cosineSimilarity } from '../src/core/util/vectors.js'
import { loadStaticEmbedder } from '../src/embed/static-embedder.js'
import { recallAtPrecision, rocAuc, type ScoredLabel } from '../src/scoring/ranking-metrics.js'
import { loadLearnedJudge } from '../src/judge/learned-judge.js'
import { readSharedPairs, sharedPairsDir, type LabelledPair } from '../training/judge-data-sets.js'

const json = process.argv.includes('--json')
const dir = sharedPairsDir()
if (!dir) {
  const note = 'bench:judges: skipped, ../shared/data/pairs is absent (the pair sets live there, not in the package).'
  console.log(json ? JSON.stringify({ skipped: true, reason: note }) : note)
  process.exit(0)
}

const SETS: { label: string; name: string; split: 'heldout' | 'all' }[] = [
  { label: 'PAWS dev, held-out half', name: 'paws_dev_ship', split: 'heldout' },
  { label: 'QQP 4k (eval only)', name: 'qqp_dev_4k_evalonly', split: 'all' },
  { label: 'STS-B dev, held-out half', name: 'stsb_dev_ship', split: 'heldout' },
  { label: 'MRPC train (eval only)', name: 'mrpc_train_evalonly', split: 'all' },
  { label: 'LC-QuAD 2, held-out half', name: 'lcquad2_phrasings_ship', split: 'heldout' },
  { label: 'Disfl-QA, held-out half', name: 'disflqa_ship', split: 'heldout' },
  { label: 'Banking77, held-out half*', name: 'banking77_intent_ship', split: 'heldout' },
]
const JUDGES = ['none', 'guard', 'learned (after guard)', 'learned (model alone)'] as const

const embedder = loadStaticEmbedder()
const guard = shippedGuardResources()
const judge = loadLearnedJudge()

interface Scored {
  cosine: number
  guardPass: boolean
  model: number
  positive: boolean
}
function score(pairs: LabelledPair[]): Scored[] {
  return pairs.map((p) => {
    const cosine = cosineSimilarity(embedder.embedOne(p.a), embedder.embedOne(p.b))
    const model = judge.verdict(judge.prepare(p.a), judge.prepare(p.b), cosine).score
    return { cosine, guardPass: checkGuard(p.a, p.b, guard).pass, model, positive: p.equivalent }
  })
}
const asLabels = (rows: Scored[], judgeName: (typeof JUDGES)[number]): ScoredLabel[] =>
  rows.map((r) => {
    const score =
      judgeName === 'none' ? r.cosine : judgeName === 'guard' ? (r.guardPass ? r.cosine : 0) : judgeName === 'learned (after guard)' ? (r.guardPass ? r.model : 0) : r.model
    return { score, positive: r.positive }
  })

const tauJudge = judge.weights.threshold.value
function atTauJudge(rows: Scored[]): { precision: number; recall: number } {
  const accepted = rows.filter((r) => r.guardPass && r.model >= tauJudge)
  const truePositives = accepted.filter((r) => r.positive).length
  return { precision: truePositives / accepted.length, recall: truePositives / rows.filter((r) => r.positive).length }
}

const results = SETS.map(({ label, name, split }) => {
  if (!json) console.error(`bench:judges: ${label} ...`)
  const pairs = readSharedPairs(dir, name, split)
  const rows = score(pairs)
  return {
    learnedAtTauJudge: atTauJudge(rows),
    set: label,
    pairs: pairs.length,
    positives: pairs.filter((p) => p.equivalent).length,
    judges: JUDGES.map((judgeName) => {
      const items = asLabels(rows, judgeName)
      return { judge: judgeName, auc: rocAuc(items), recall95: recallAtPrecision(items, 0.95).recall, recall99: recallAtPrecision(items, 0.99).recall }
    }),
  }
})

// Per-candidate time: each judge's own work for one (query, candidate) pair, QQP questions, one core, after a warm-up.
const timingPairs = readSharedPairs(dir, 'qqp_dev_4k_evalonly', 'all')
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]
const time = (work: (p: LabelledPair) => unknown): number => {
  for (const p of timingPairs.slice(0, 300)) work(p)
  return median(
    timingPairs.map((p) => {
      const started = process.hrtime.bigint()
      work(p)
      return Number(process.hrtime.bigint() - started) / 1e3
    }),
  )
}
const cosines = timingPairs.map((p) => cosineSimilarity(embedder.embedOne(p.a), embedder.embedOne(p.b)))
let index = 0
const latency = {
  guardUs: time((p) => checkGuard(p.a, p.b, guard)),
  learnedUs: time((p) => judge.verdict(judge.prepare(p.a), judge.prepare(p.b), cosines[index++ % cosines.length])),
  staticEmbedUs: time((p) => embedder.embedOne(p.b)),
}

const model = judge.weights
const output = {
  results,
  latencyMedianMicroseconds: latency,
  model: { kind: model.model, features: model.logistic.features.length, threshold: model.threshold, bytes: JSON.stringify(model).length },
}
if (json) console.log(JSON.stringify(output, null, 2))
else {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '  -  ')
  console.log('\n| set | pairs (pos) | judge | ROC-AUC | R@95%P | R@99%P | P / R at tau_judge |\n|---|---|---|---|---|---|---|')
  for (const r of results) {
    r.judges.forEach((j, i) => {
      const atTau = j.judge === 'learned (after guard)' ? `${f(r.learnedAtTauJudge.precision)} / ${f(r.learnedAtTauJudge.recall)}` : ''
      console.log(`| ${i === 0 ? r.set : ''} | ${i === 0 ? `${r.pairs} (${r.positives})` : ''} | ${j.judge} | ${f(j.auc)} | ${f(j.recall95)} | ${f(j.recall99)} | ${atTau} |`)
    })
  }
  console.log('\n* Banking77 pairs are not trained on (their "equivalent" means the same customer intent); only nearest other-intent queries mined from Banking77 sentences outside every evaluation pair are, as negatives.')
  console.log(`Median per candidate, one core: guard ${latency.guardUs.toFixed(0)} µs, learned judge (features + logistic regression, both questions prepared) ${latency.learnedUs.toFixed(0)} µs; for scale, one static embedding ${latency.staticEmbedUs.toFixed(0)} µs.`)
  console.log(`Model: ${output.model.kind} over ${output.model.features} features, ${(output.model.bytes / 1024).toFixed(1)} KiB; tau_judge ${model.threshold.value} (${model.threshold.chosenOn}).`)
}
