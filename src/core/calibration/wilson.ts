/** z for a two-sided 95% interval (one-sided 97.5%). */
export const Z_95 = 1.959964

export interface ProportionInterval {
  /** Successes / trials, or null with no trials. */
  estimate: number | null
  lower: number
  upper: number
  trials: number
}

/**
 * The Wilson score interval for a binomial proportion: unlike the normal approximation it stays
 * inside [0, 1] and is honest at small n and near 0 or 1, which is where a cache's precision lives.
 */
export function wilsonInterval(successes: number, trials: number, z = Z_95): ProportionInterval {
  if (!Number.isInteger(trials) || trials < 0 || successes < 0 || successes > trials) {
    throw new RangeError(`Expected 0 <= successes <= trials (whole numbers), received ${successes} of ${trials}.`)
  }
  if (trials === 0) return { estimate: null, lower: 0, upper: 1, trials: 0 }
  const p = successes / trials
  const z2 = z * z
  const denominator = 1 + z2 / trials
  const centre = (p + z2 / (2 * trials)) / denominator
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))
  // At 0 or all successes the bound on that side is exactly 0 or 1; rounding would leave it a hair off.
  return { estimate: p, lower: successes === 0 ? 0 : Math.max(0, centre - half), upper: successes === trials ? 1 : Math.min(1, centre + half), trials }
}

/**
 * Fewest trials at which one failure still leaves `target` inside the interval (upper bound >=
 * target). Below it a single failure, which may be the check's own error, would count as evidence.
 */
export function trialsToExcludeOneFailure(target: number, z = Z_95): number {
  if (target <= 0) return 1
  if (target >= 1) return Infinity
  let n = 1
  while (wilsonInterval(n - 1, n, z).upper < target) n++
  return n
}

/** Fewest trials, all successes, whose lower bound reaches `target`: n / (n + z^2) >= target. */
export function trialsToCertify(target: number, z = Z_95): number {
  if (target <= 0) return 1
  if (target >= 1) return Infinity
  return Math.ceil((z * z * target) / (1 - target))
}
