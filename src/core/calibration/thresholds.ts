import type { Thresholds } from '../decision.js'

/** Kept in step with fixtures/judge/learned-judge.json by a test. */
export const LEARNED_JUDGE_THRESHOLD = 0.1637

/**
 * Starting thresholds when neither the user nor calibration has set any.
 * - none: GPTCache's customary 0.8, the baseline as people run it.
 * - guard: 0.58, from `npm run tune:offline-default` on the train halves (by intent) of the development
 *   traces and built-in workloads: the content-word guard decides, tau_sim only bounds the candidates it
 *   reads; 0.58 serves the most correct hits (85.0% of the oracle's, mean of six traces) with at most 0.40%
 *   false hits on any of them (0.5: 84.8% at 0.62%; 0.75: 84.5% at 0.32%).
 * - learned: a wide candidate band (0.5); tau_judge 0.1637 reaches 90% set-balanced precision on
 *   out-of-fold training scores after the guard (fixtures/judge/learned-judge.json, `npm run train:judge`;
 *   95% is reached only at no useful recall).
 * - a model judge: a wide candidate band (0.5), the judge decides.
 */
export function defaultThresholds(_embedderFingerprint: string, policy: string): Thresholds {
  if (policy === 'none') return { tauSim: 0.8, tauJudge: 0 }
  if (policy === 'guard') return { tauSim: 0.58, tauJudge: 0 }
  if (policy === 'learned') return { tauSim: 0.5, tauJudge: LEARNED_JUDGE_THRESHOLD }
  return { tauSim: 0.5, tauJudge: 0.5 }
}
