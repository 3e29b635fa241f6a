import { sigmoid, type LogisticWeights } from '../src/judge/learned/logistic-model.js'

/** Trains the logistic model of src/judge/learned/logistic-model.ts by Newton's method (iteratively reweighted least squares) with an L2 penalty. */
export interface TrainingOptions {
  /** L2 penalty on the standardised weights (not on the bias). */
  l2: number
  /** Per-row weight (e.g. to balance data sets); 1 when omitted. */
  rowWeights?: number[]
  maxIterations?: number
}

export function trainLogistic(features: string[], rows: readonly number[][], labels: readonly boolean[], options: TrainingOptions): LogisticWeights {
  const n = rows.length
  const d = features.length
  const rowWeights = options.rowWeights ?? new Array<number>(n).fill(1)
  const totalWeight = rowWeights.reduce((s, w) => s + w, 0)
  const means = features.map((_, j) => rows.reduce((s, r, i) => s + rowWeights[i] * r[j], 0) / totalWeight)
  const scales = features.map((_, j) => {
    const variance = rows.reduce((s, r, i) => s + rowWeights[i] * (r[j] - means[j]) ** 2, 0) / totalWeight
    return variance > 1e-12 ? Math.sqrt(variance) : 1
  })
  // Column 0 is the bias; the penalty is scaled per unit of row weight so it means the same at any n.
  const z = rows.map((r) => [1, ...r.map((v, j) => (v - means[j]) / scales[j])])
  const beta = new Array<number>(d + 1).fill(0)
  const lambda = options.l2 * totalWeight
  for (let iteration = 0; iteration < (options.maxIterations ?? 50); iteration++) {
    const gradient = new Array<number>(d + 1).fill(0)
    const hessian = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0))
    for (let i = 0; i < n; i++) {
      const x = z[i]
      let s = 0
      for (let j = 0; j <= d; j++) s += beta[j] * x[j]
      const p = sigmoid(s)
      const residual = rowWeights[i] * ((labels[i] ? 1 : 0) - p)
      const curvature = rowWeights[i] * Math.max(p * (1 - p), 1e-9)
      for (let j = 0; j <= d; j++) {
        gradient[j] += residual * x[j]
        for (let k = j; k <= d; k++) hessian[j][k] += curvature * x[j] * x[k]
      }
    }
    for (let j = 0; j <= d; j++) {
      for (let k = 0; k < j; k++) hessian[j][k] = hessian[k][j]
      if (j > 0) {
        gradient[j] -= lambda * beta[j]
        hessian[j][j] += lambda
      }
    }
    const step = solveSymmetric(hessian, gradient)
    let largest = 0
    for (let j = 0; j <= d; j++) {
      beta[j] += step[j]
      largest = Math.max(largest, Math.abs(step[j]))
    }
    if (largest < 1e-8) break
  }
  return { features, means, scales, weights: beta.slice(1), bias: beta[0] }
}

/** Solves A x = b for a symmetric positive-definite A (Cholesky). */
function solveSymmetric(a: number[][], b: number[]): number[] {
  const n = b.length
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0))
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j]
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k]
      l[i][j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j][j]
    }
  }
  const y = new Array<number>(n).fill(0)
  for (let i = 0; i < n; i++) {
    let s = b[i]
    for (let k = 0; k < i; k++) s -= l[i][k] * y[k]
    y[i] = s / l[i][i]
  }
  const x = new Array<number>(n).fill(0)
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]
    for (let k = i + 1; k < n; k++) s -= l[k][i] * x[k]
    x[i] = s / l[i][i]
  }
  return x
}
