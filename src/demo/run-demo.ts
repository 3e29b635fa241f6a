import type { Asteria } from '../asteria.js'
import type { FetchResult } from '../core/cache/requests.js'
import { DEMO_STEPS, type DemoStep } from './demo-questions.js'

export interface DemoOutcome {
  step: DemoStep
  result: FetchResult
  /** Did the cache do what a correct cache should (hit a paraphrase, miss a different question)? */
  asExpected: boolean
}

/** Puts the demo questions through the cache, one after another, reporting each outcome. */
export async function runDemo(asteria: Asteria, onStep?: (outcome: DemoOutcome, index: number) => void): Promise<DemoOutcome[]> {
  const outcomes: DemoOutcome[] = []
  for (const [index, step] of DEMO_STEPS.entries()) {
    const result = await asteria.ask(step.query)
    const outcome = { step, result, asExpected: result.decision.hit === (step.expect === 'hit') }
    outcomes.push(outcome)
    onStep?.(outcome, index)
  }
  return outcomes
}
