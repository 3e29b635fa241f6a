/**
 * npm run tune:thresholds [-- --json]
 * Chooses the default tau_sim of each offline hit policy (none: cosine only; guard: cosine + the
 * rule-based guard) on the TRAIN halves of the "_ship" pair sets only (src/scoring/pair-splits.ts),
 * at a target precision. The chosen values are what src/core/calibration/thresholds.ts ships.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { shippedGuardResources } from '../src/embed/guard-resources.js'
import { checkGuard } from '../src/core/guard/guard.js'
import { packageRoot } from '../src/core/util/package-paths.js'
import { cosineSimilarity } from '../src/core/util/vectors.js'
import { pairSplit } from '../src/scoring/pair-splits.js'
import { loadStaticEmbedder } from '../src/embed/static-embedder.js'
import { recallAtPrecision, type ScoredLabel } from '../src/scoring/ranking-metrics.js'

const json = process.argv.includes('--json')
const data = join(packageRoot(), '..', 'shared', 'data', 'pairs')
if (!existsSync(data)) {
  console.log(`tune:thresholds: skipped, ${data} is absent.`)
  process.exit(0)
}
const SETS = ['paws_dev_ship', 'banking77_intent_ship', 'lcquad2_phrasings_ship', 'disflqa_ship']
const TARGETS = [0.95, 0.99]
const embedder = loadStaticEmbedder()
const guard = shippedGuardResources()

const scored: Record<string, { none: ScoredLabel[]; guard: ScoredLabel[] }> = {}
for (const name of SETS) {
  const pairs = readFileSync(join(data, `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { a: string; b: string; equivalent: boolean })
    .filter((p) => pairSplit(p.a, p.b) === 'train')
  const va = await embedder.embed(pairs.map((p) => p.a))
  const vb = await embedder.embed(pairs.map((p) => p.b))
  scored[name] = { none: [], guard: [] }
  pairs.forEach((p, i) => {
    const cos = cosineSimilarity(va[i], vb[i])
    scored[name].none.push({ score: cos, positive: p.equivalent })
    scored[name].guard.push({ score: checkGuard(p.a, p.b, guard).pass ? cos : -1, positive: p.equivalent })
  })
}
const pooled = {
  none: SETS.flatMap((s) => scored[s].none),
  guard: SETS.flatMap((s) => scored[s].guard),
}
const rows = []
for (const policy of ['none', 'guard'] as const) {
  for (const target of TARGETS) {
    const pool = recallAtPrecision(pooled[policy], target)
    rows.push({ policy, target, pooled: pool, perSet: Object.fromEntries(SETS.map((s) => [s, recallAtPrecision(scored[s][policy], target)])) })
  }
}
if (json) console.log(JSON.stringify(rows, null, 2))
else {
  console.log('Train halves of the _ship pair sets; recall (threshold) at each target precision')
  for (const r of rows) {
    const per = SETS.map((s) => `${s.replace('_ship', '')} ${r.perSet[s].recall.toFixed(3)}@${r.perSet[s].threshold.toFixed(3)}`).join('  ')
    console.log(`${r.policy.padEnd(6)} P>=${r.target}  pooled recall ${r.pooled.recall.toFixed(3)} at tau_sim ${r.pooled.threshold.toFixed(3)}  | ${per}`)
  }
}

if (process.argv.includes('--sweep')) {
  console.log('\nSweep (guard policy): tau_sim -> precision / recall, pooled train halves, with and without PAWS')
  const noPaws = SETS.filter((s) => s !== 'paws_dev_ship').flatMap((s) => scored[s].guard)
  for (let t = 0.5; t <= 0.96; t += 0.05) {
    const stat = (items: ScoredLabel[]) => {
      const accepted = items.filter((x) => x.score >= t)
      const tp = accepted.filter((x) => x.positive).length
      const pos = items.filter((x) => x.positive).length
      return `${(tp / Math.max(1, accepted.length)).toFixed(3)} / ${(tp / pos).toFixed(3)}`
    }
    console.log(`  ${t.toFixed(2)}  all ${stat(pooled.guard)}   without PAWS ${stat(noPaws)}`)
  }
}
