/**
 * A logistic regression small enough to read: p = sigmoid(bias + sum_i w_i * (x_i - mean_i) / scale_i).
 * Trained by training/train-logistic.ts (Newton's method with an L2 penalty); this file only reads the weights.
 */
export interface LogisticWeights {
  features: string[]
  means: number[]
  scales: number[]
  weights: number[]
  bias: number
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z))
}

export function logit(model: LogisticWeights, x: readonly number[]): number {
  let z = model.bias
  for (let i = 0; i < model.weights.length; i++) z += (model.weights[i] * (x[i] - model.means[i])) / model.scales[i]
  return z
}

export function predictProbability(model: LogisticWeights, x: readonly number[]): number {
  return sigmoid(logit(model, x))
}

/** Each feature's share of the logit, largest magnitude first. */
export function contributions(model: LogisticWeights, x: readonly number[]): { feature: string; value: number }[] {
  return model.features
    .map((feature, i) => ({ feature, value: (model.weights[i] * (x[i] - model.means[i])) / model.scales[i] }))
    .sort((p, q) => Math.abs(q.value) - Math.abs(p.value))
}
