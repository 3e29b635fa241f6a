import type { BoostedTrees, RegressionTree } from './boosted-trees.js'
import { leafOf } from './boosted-trees.js'

export interface BoostingOptions {
  trees: number
  depth: number
  learningRate: number
  /** Fewest rows on each side of a split. */
  minLeaf: number
  /** Candidate split points per feature (quantiles of the training values). */
  bins: number
  /** L2 penalty on leaf values (Newton step: sum g / (sum h + l2)). */
  l2: number
  /**
   * Per feature: +1 the score may only rise with it, -1 only fall, 0 free. Keeps the model
   * sensible where training sets disagree (more shared words never lowers the score).
   */
  monotone?: readonly number[]
}

export const DEFAULT_BOOSTING: Readonly<BoostingOptions> = { trees: 150, depth: 3, learningRate: 0.1, minLeaf: 20, bins: 32, l2: 1 }

/** Logistic-loss boosting with Newton leaf values; deterministic for the same rows. */
export function trainBoostedTrees(rows: readonly number[][], labels: readonly boolean[], rowWeights: readonly number[], options: BoostingOptions): BoostedTrees {
  const n = rows.length
  const d = rows[0]?.length ?? 0
  const splits = Array.from({ length: d }, (_, j) => quantileSplits(rows.map((r) => r[j]), options.bins))
  const bins = rows.map((r) => r.map((v, j) => binOf(splits[j], v)))
  const positive = labels.reduce((s, y, i) => s + (y ? rowWeights[i] : 0), 0)
  const total = rowWeights.reduce((s, w) => s + w, 0)
  const base = Math.log(positive / (total - positive))
  const logits = new Float64Array(n).fill(base)
  const model: BoostedTrees = { base, learningRate: options.learningRate, trees: [] }
  const gradient = new Float64Array(n)
  const hessian = new Float64Array(n)
  for (let t = 0; t < options.trees; t++) {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-logits[i]))
      gradient[i] = rowWeights[i] * ((labels[i] ? 1 : 0) - p)
      hessian[i] = rowWeights[i] * p * (1 - p)
    }
    const tree: RegressionTree = { feature: [], threshold: [], left: [], right: [], value: [] }
    const grow = (members: number[], depth: number, lower: number, upper: number): number => {
      const node = tree.feature.length
      let g = 0
      let h = 0
      for (const i of members) {
        g += gradient[i]
        h += hessian[i]
      }
      tree.feature.push(-1)
      tree.threshold.push(0)
      tree.left.push(-1)
      tree.right.push(-1)
      tree.value.push(clamp(g / (h + options.l2), lower, upper))
      if (depth >= options.depth || members.length < 2 * options.minLeaf) return node
      const split = bestSplit(members, g, h, lower, upper)
      if (!split) return node
      tree.feature[node] = split.feature
      tree.threshold[node] = splits[split.feature][split.bin]
      const goesLeft = (i: number) => bins[i][split.feature] <= split.bin
      const sign = options.monotone?.[split.feature] ?? 0
      // Children of a constrained split stay on their side of the midpoint of their values.
      const mid = (split.leftValue + split.rightValue) / 2
      tree.left[node] = grow(members.filter(goesLeft), depth + 1, sign < 0 ? mid : lower, sign > 0 ? mid : upper)
      tree.right[node] = grow(members.filter((i) => !goesLeft(i)), depth + 1, sign > 0 ? mid : lower, sign < 0 ? mid : upper)
      return node
    }
    type Split = { feature: number; bin: number; gain: number; leftValue: number; rightValue: number }
    const bestSplit = (members: number[], g: number, h: number, lower: number, upper: number): Split | null => {
      const parent = (g * g) / (h + options.l2)
      let best: Split | null = null
      for (let j = 0; j < d; j++) {
        const sign = options.monotone?.[j] ?? 0
        const count = splits[j].length + 1
        const gs = new Float64Array(count)
        const hs = new Float64Array(count)
        const ns = new Int32Array(count)
        for (const i of members) {
          const b = bins[i][j]
          gs[b] += gradient[i]
          hs[b] += hessian[i]
          ns[b]++
        }
        let gl = 0
        let hl = 0
        let nl = 0
        for (let b = 0; b < count - 1; b++) {
          gl += gs[b]
          hl += hs[b]
          nl += ns[b]
          if (nl < options.minLeaf || members.length - nl < options.minLeaf) continue
          const leftValue = clamp(gl / (hl + options.l2), lower, upper)
          const rightValue = clamp((g - gl) / (h - hl + options.l2), lower, upper)
          if (sign * (rightValue - leftValue) < 0) continue
          const gain = (gl * gl) / (hl + options.l2) + ((g - gl) * (g - gl)) / (h - hl + options.l2) - parent
          if (gain > 1e-9 && (!best || gain > best.gain)) best = { feature: j, bin: b, gain, leftValue, rightValue }
        }
      }
      return best
    }
    grow([...Array(n).keys()], 0, -Infinity, Infinity)
    const rounded = roundTree(tree)
    model.trees.push(rounded)
    for (let i = 0; i < n; i++) logits[i] += options.learningRate * rounded.value[leafOf(rounded, rows[i])]
  }
  return model
}

/** Distinct values at the 1/bins, 2/bins, ... quantiles, below the largest value. */
function quantileSplits(values: number[], bins: number): number[] {
  const sorted = [...values].sort((x, y) => x - y)
  const points = new Set<number>()
  // Rounded so the weights file stays small; rows are binned against the rounded values, so exact.
  for (let k = 1; k < bins; k++) points.add(Number(sorted[Math.floor((k * sorted.length) / bins)].toPrecision(6)))
  for (const p of points) if (p >= sorted[sorted.length - 1]) points.delete(p)
  return [...points].sort((x, y) => x - y)
}

function clamp(v: number, lower: number, upper: number): number {
  return Math.min(upper, Math.max(lower, v))
}

function binOf(splits: number[], v: number): number {
  let lo = 0
  let hi = splits.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (v <= splits[mid]) hi = mid
    else lo = mid + 1
  }
  return lo
}

function roundTree(tree: RegressionTree): RegressionTree {
  return { ...tree, value: tree.value.map((v) => Number(v.toPrecision(6))) }
}
