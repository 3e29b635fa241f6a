/**
 * npm run bench:guard [-- --json] [-- --examples KIND]
 * Measures the rule-based guard as a rejector of non-equivalent pairs:
 *   precision = of the pairs it rejects, the share that are truly not equivalent;
 *   recall    = of the non-equivalent pairs, the share it rejects.
 * Rules are improved against the TRAIN halves of the "_ship" pair sets only (src/scoring/pair-splits.ts);
 * held-out halves, STS-B dev and the evaluation-only sets (QQP, MRPC) are reported, never tuned on.
 * Then the offline default (guard + tau_sim) at an operating point chosen on the pooled train halves.
 * Exits 0 with a note when ../shared/data is absent.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { shippedGuardResources } from '../src/embed/guard-resources.js'
import { checkGuard, type GuardReasonKind } from '../src/core/guard/guard.js'
import { packageRoot } from '../src/core/util/package-paths.js'
import { cosineSimilarity } from '../src/core/util/vectors.js'
import { pairSplit, type PairSplit } from '../src/scoring/pair-splits.js'
import { loadStaticEmbedder } from '../src/embed/static-embedder.js'
import { defaultThresholds } from '../src/core/calibration/thresholds.js'
import { readPairsFile, type LabelledPair } from '../src/scoring/pairs-file.js'
import { recallAtPrecision, rocAuc, type ScoredLabel } from '../src/scoring/ranking-metrics.js'

const json = process.argv.includes('--json')
const examplesOf = process.argv.includes('--examples') ? process.argv[process.argv.indexOf('--examples') + 1] : undefined
const data = join(packageRoot(), '..', 'shared', 'data', 'pairs')
if (!existsSync(data)) {
  const note = `bench:guard: skipped, ${data} is absent (the pair sets live there, not in the package).`
  console.log(json ? JSON.stringify({ skipped: true, reason: note }) : note)
  process.exit(0)
}

const TRAIN_SETS = ['paws_dev_ship', 'banking77_intent_ship', 'lcquad2_phrasings_ship', 'disflqa_ship']
const TARGETS = [0.99, 0.95]
const guard = shippedGuardResources()
const embedder = loadStaticEmbedder()

const load = (name: string, split?: PairSplit): LabelledPair[] =>
  readPairsFile(join(data, `${name}.jsonl`)).filter((p) => split === undefined || pairSplit(p.a, p.b) === split)

interface Judged extends LabelledPair {
  rejected: boolean
  kinds: GuardReasonKind[]
  detail: string
  similarity: number
}

function judgeAll(pairs: LabelledPair[]): Judged[] {
  return pairs.map((p) => {
    const verdict = checkGuard(p.a, p.b, guard)
    const similarity = cosineSimilarity(embedder.embedOne(p.a), embedder.embedOne(p.b))
    return { ...p, rejected: !verdict.pass, kinds: verdict.reasons.map((r) => r.kind), detail: verdict.reasons.map((r) => r.detail).join('; '), similarity }
  })
}

function rejectorStats(items: Judged[]) {
  const negatives = items.filter((p) => !p.equivalent).length
  const rejected = items.filter((p) => p.rejected)
  const correct = rejected.filter((p) => !p.equivalent).length
  const byKind: Record<string, { fired: number; precision: number }> = {}
  for (const item of rejected) {
    for (const kind of new Set(item.kinds)) {
      byKind[kind] ??= { fired: 0, precision: 0 }
      byKind[kind].fired++
      if (!item.equivalent) byKind[kind].precision++
    }
  }
  for (const stat of Object.values(byKind)) stat.precision /= stat.fired
  return {
    pairs: items.length,
    negatives,
    rejected: rejected.length,
    precision: rejected.length === 0 ? Number.NaN : correct / rejected.length,
    recall: negatives === 0 ? Number.NaN : correct / negatives,
    byKind,
  }
}

/** The cache's acceptance score: similarity when the guard passes, -1 (never accepted) when it rejects. */
const acceptance = (items: Judged[]): ScoredLabel[] => items.map((p) => ({ score: p.rejected ? -1 : p.similarity, positive: p.equivalent }))

function atThreshold(items: Judged[], tauSim: number) {
  const accepted = items.filter((p) => !p.rejected && p.similarity >= tauSim)
  const tp = accepted.filter((p) => p.equivalent).length
  const positives = items.filter((p) => p.equivalent).length
  return { accepted: accepted.length, precision: accepted.length === 0 ? Number.NaN : tp / accepted.length, recall: positives === 0 ? 0 : tp / positives }
}

const train = Object.fromEntries(TRAIN_SETS.map((name) => [name, judgeAll(load(name, 'train'))]))
const evaluation: Record<string, Judged[]> = {
  'PAWS dev, held-out half': judgeAll(load('paws_dev_ship', 'heldout')),
  'banking77, held-out half': judgeAll(load('banking77_intent_ship', 'heldout')),
  'LC-QuAD 2, held-out half': judgeAll(load('lcquad2_phrasings_ship', 'heldout')),
  'Disfl-QA, held-out half': judgeAll(load('disflqa_ship', 'heldout')),
  'STS-B dev (not tuned on)': judgeAll(load('stsb_dev_ship')),
  'QQP 4k (evaluation only)': judgeAll(load('qqp_dev_4k_evalonly')),
  'MRPC train (evaluation only)': judgeAll(load('mrpc_train_evalonly')),
}
const pooledTrain = Object.values(train).flat()

const rejector = {
  train: Object.fromEntries([...Object.entries(train), ['pooled train halves', pooledTrain]].map(([name, items]) => [name, rejectorStats(items as Judged[])])),
  evaluation: Object.fromEntries(Object.entries(evaluation).map(([name, items]) => [name, rejectorStats(items)])),
}

// Operating points: the shipped default tau_sim, and tau_sim chosen on the pooled train halves for each target.
const shipped = defaultThresholds(embedder.fingerprint, 'guard').tauSim
const bestPrecision = (items: Judged[]) => {
  let best = { precision: 0, tauSim: Number.NaN, recall: 0 }
  for (let t = 0.5; t <= 0.99; t += 0.005) {
    const r = atThreshold(items, t)
    if (r.accepted >= 20 && r.precision > best.precision) best = { precision: r.precision, tauSim: t, recall: r.recall }
  }
  return best
}
const operating = [
  { label: `shipped default tau_sim ${shipped}`, target: null as number | null, tauSim: shipped },
  ...TARGETS.map((target) => ({ label: `tau_sim for precision ${target} on the pooled train halves`, target, tauSim: recallAtPrecision(acceptance(pooledTrain), target).threshold })),
].map((op) => ({
  ...op,
  reachable: Number.isFinite(op.tauSim),
  train: Number.isFinite(op.tauSim) ? atThreshold(pooledTrain, op.tauSim) : null,
  evaluation: Number.isFinite(op.tauSim) ? Object.fromEntries(Object.entries(evaluation).map(([name, items]) => [name, atThreshold(items, op.tauSim)])) : null,
}))
const ceiling = { pooled: bestPrecision(pooledTrain), withoutPaws: bestPrecision(Object.entries(train).filter(([n]) => n !== 'paws_dev_ship').flatMap(([, items]) => items)) }
const aucs = Object.fromEntries(Object.entries(evaluation).map(([name, items]) => [name, rocAuc(acceptance(items))]))

const fixed = (x: number, digits = 3): string => (Number.isFinite(x) ? x.toFixed(digits) : '-')
if (json) {
  console.log(JSON.stringify({ rejector, operating, ceiling, acceptanceRocAuc: aucs }, null, 2))
} else {
  const table = (title: string, rows: Record<string, ReturnType<typeof rejectorStats>>) => {
    console.log(`\n${title}\n${'set'.padEnd(30)} pairs  negatives  rejected  precision  recall   by reason (fired, precision)`)
    for (const [name, s] of Object.entries(rows)) {
      const kinds = Object.entries(s.byKind).sort((x, y) => y[1].fired - x[1].fired).map(([k, v]) => `${k} ${v.fired} ${fixed(v.precision, 2)}`).join(', ')
      console.log(`${name.padEnd(30)} ${String(s.pairs).padStart(5)} ${String(s.negatives).padStart(10)} ${String(s.rejected).padStart(9)}  ${fixed(s.precision).padStart(9)}  ${fixed(s.recall).padStart(6)}   ${kinds}`)
    }
  }
  console.log('The guard as a rejector of non-equivalent pairs (precision: rejected pairs truly not equivalent; recall: non-equivalent pairs rejected)')
  table('Train halves (rules are tuned on these only)', rejector.train)
  table('Held-out halves and evaluation sets (never tuned on)', rejector.evaluation)
  for (const op of operating) {
    if (!op.reachable) {
      console.log(`\n${op.label}: unreachable, no tau_sim gets there (only exact repeats would be served: recall ~0).`)
      continue
    }
    console.log(`\nOffline default (guard, then similarity >= tau_sim), ${op.label}: tau_sim ${fixed(op.tauSim)}; pooled train precision ${fixed(op.train!.precision)}, recall ${fixed(op.train!.recall)}`)
    console.log(`${'set'.padEnd(30)} accepted  precision  recall`)
    for (const [name, r] of Object.entries(op.evaluation!)) {
      console.log(`${name.padEnd(30)} ${String(r.accepted).padStart(8)}  ${fixed(r.precision).padStart(9)}  ${fixed(r.recall).padStart(6)}`)
    }
  }
  const c = ceiling
  console.log(`\nHighest precision any tau_sim reaches on the train halves (>= 20 accepted): pooled ${fixed(c.pooled.precision)} (tau_sim ${fixed(c.pooled.tauSim)}, recall ${fixed(c.pooled.recall)}); without PAWS ${fixed(c.withoutPaws.precision)} (tau_sim ${fixed(c.withoutPaws.tauSim)}, recall ${fixed(c.withoutPaws.recall)})`)
  console.log(`\nROC-AUC of the acceptance score (similarity, -1 when the guard rejects): ${Object.entries(aucs).map(([n, v]) => `${n} ${fixed(v)}`).join('; ')}`)
  if (examplesOf) {
    console.log(`\nTrain-half examples: equivalent pairs wrongly rejected for "${examplesOf}" (first 40)`)
    for (const p of pooledTrain.filter((x) => x.equivalent && x.kinds.includes(examplesOf as GuardReasonKind)).slice(0, 40)) {
      console.log(`  ${p.detail}\n    a: ${p.a}\n    b: ${p.b}`)
    }
  }
}
