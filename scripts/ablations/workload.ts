import { createHash } from 'node:crypto'
import type { TraceRequest } from '../../src/bench/trace-request.js'
import { seededRandom } from '../../src/core/util/seeded-random.js'

/** A paid remote tool as the ablations model it: a price per call and a uniform latency range. */
export interface ToolPricing {
  name: string
  priceUsd: number
  minMs: number
  maxMs: number
}

/** Tool A: a commercial web search; tool B: a cheap, fast internal index (the mix). */
export const TOOL_MIX: readonly ToolPricing[] = [
  { name: 'search-a', priceUsd: 0.005, minMs: 300, maxMs: 500 },
  { name: 'search-b', priceUsd: 0.0005, minMs: 50, maxMs: 100 },
]

export const hashUnit = (text: string) => createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32

/** Sends each intent (deterministically, by its hash) to tool A or B, so paraphrases share a scope. */
export function assignTools(requests: readonly TraceRequest[], tools: readonly ToolPricing[] = TOOL_MIX): TraceRequest[] {
  return requests.map((r) => ({ ...r, tool: tools[Math.floor(hashUnit(r.intent ?? r.query) * tools.length)].name }))
}

/**
 * A derived workload with sequential structure (the shipped traces sample each request
 * independently): recurring multi-step tasks, each a fixed chain of 3 intents of the trace, asked
 * in order by sessions, every step in one of that intent's own wordings from the trace. Tasks are
 * drawn with Zipf(0.99) popularity.
 */
export function planTrace(requests: readonly TraceRequest[], options: { tasks: number; sessions: number; stepsPerTask: number; seed: number }): TraceRequest[] {
  const wordings = new Map<string, TraceRequest[]>()
  for (const r of requests) if (r.intent) wordings.set(r.intent, [...(wordings.get(r.intent) ?? []), r])
  const intents = [...wordings.keys()]
  const random = seededRandom(options.seed)
  const plans = Array.from({ length: options.tasks }, () => Array.from({ length: options.stepsPerTask }, () => intents[Math.floor(random() * intents.length)]))
  const weights = plans.map((_, i) => 1 / (i + 1) ** 0.99)
  const total = weights.reduce((a, b) => a + b, 0)
  const pickPlan = () => {
    let x = random() * total
    for (let i = 0; i < weights.length; i++) if ((x -= weights[i]) <= 0) return plans[i]
    return plans[plans.length - 1]
  }
  const out: TraceRequest[] = []
  const perSession = Math.ceil(requests.length / options.sessions / options.stepsPerTask)
  const sessionQueues = Array.from({ length: options.sessions }, () => Array.from({ length: perSession }, pickPlan).flat())
  for (let step = 0; out.length < requests.length && sessionQueues.some((q) => q.length > 0); step++) {
    for (let s = 0; s < options.sessions && out.length < requests.length; s++) {
      const intent = sessionQueues[s].shift()
      if (!intent) continue
      const choices = wordings.get(intent)!
      const source = choices[Math.floor(random() * choices.length)]
      out.push({ ...source, index: out.length, session: `plan-s${s}`, tMs: out.length * 50 })
    }
  }
  return out
}
