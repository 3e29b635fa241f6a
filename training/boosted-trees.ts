/**
 * Gradient-boosted regression trees on the logit scale:
 * logit = base + rate * sum over trees of the value of the leaf the pair falls into.
 * Each tree is stored as parallel arrays, node 0 the root; `feature[n] < 0` marks a leaf.
 * Internal nodes keep their value too, so a score can be explained feature by feature.
 */
export interface RegressionTree {
  feature: number[]
  /** Go left when x[feature] <= threshold. */
  threshold: number[]
  left: number[]
  right: number[]
  value: number[]
}

export interface BoostedTrees {
  base: number
  learningRate: number
  trees: RegressionTree[]
}

export function boostedLogit(model: BoostedTrees, x: readonly number[]): number {
  let z = model.base
  for (const tree of model.trees) z += model.learningRate * tree.value[leafOf(tree, x)]
  return z
}

export function leafOf(tree: RegressionTree, x: readonly number[]): number {
  let node = 0
  while (tree.feature[node] >= 0) node = x[tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node]
  return node
}
