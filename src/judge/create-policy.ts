import { AsteriaError } from '../core/errors.js'
import { Scheduler, type TimerSource } from '../core/scheduler.js'
import type { OllamaProbe } from '../ollama/probe.js'
import { OLLAMA_FEATURES, lacks, tooOld } from '../ollama/server-features.js'
import { guardPolicy, thresholdOnlyPolicy, type HitPolicy } from '../core/ports/hit-policy.js'
import { JUDGE_KINDS, type JudgeKind } from './judge-kind.js'
import { loadLearnedJudge } from './learned-judge.js'
import { createOllamaChat } from '../ollama/judge-chat.js'
import { DEFAULT_KEEP_ALIVE, createOllamaJudge } from './ollama-judge.js'
import { createOllamaStaticityScorer, type StaticityScorer } from './ollama-staticity.js'

export interface JudgeSettings {
  kind: JudgeKind
  /** Ollama server of the judge model (already normalised to a URL). */
  host: string
  model: string
  /** Cap per judge request and per look-up, ms. */
  timeoutMs: number
  /** Judge requests at once on the shared server. */
  concurrency: number
  /** Share of the remote call's recorded latency a verdict may take before the look-up misses. */
  deadlineFraction: number
  /** Serve a guard-passing candidate at or above this similarity without the judge. */
  skipAboveSimilarity?: number
  /** One request for all candidates of a look-up instead of one each. */
  batch?: boolean
  keepAlive?: string | number
  /** Share the agent's scheduler so judge work queues behind its requests; default: a new one. */
  scheduler?: Scheduler
  timers?: TimerSource
}

export interface JudgeChoice {
  policy: HitPolicy
  requested: JudgeKind
  /** What `auto` found and chose, and an Ollama too old for logprobs, as one line for the user; absent when nothing needed saying. */
  notice?: string
  /** The judge model's staticity scorer, when an Ollama judge is in use. */
  staticityScorer?: StaticityScorer
  /** Where judge requests queue; the agent's chat model should run its requests here at `agent` priority. */
  scheduler?: Scheduler
}

/** Candidates per look-up the model judges (nearest first): more would only queue past the deadline. */
export const JUDGED_CANDIDATES = 3

/** The offline hit policies, by name. */
export function createPolicy(name: string): HitPolicy {
  if (name === 'none') return thresholdOnlyPolicy
  if (name === 'guard') return guardPolicy
  if (name === 'learned') return { name: 'learned', useGuard: true, judge: loadLearnedJudge() }
  throw new AsteriaError('CONFIG', `Unknown offline judge "${name}"; expected none, guard or learned (use resolveJudge for ollama and auto).`, {
    suggestions: ['Pass --judge guard (the offline default), --judge learned, --judge none (similarity only), --judge ollama or --judge auto.'],
  })
}

/**
 * The hit policy for `--judge KIND`. `ollama` checks the server and model first (a JUDGE error,
 * exit code 8, says how to fix it); `auto` uses Ollama when both are there and the guard otherwise.
 */
export async function resolveJudge(settings: JudgeSettings): Promise<JudgeChoice> {
  const { kind } = settings
  if (kind === 'none' || kind === 'guard' || kind === 'learned') return { policy: createPolicy(kind), requested: kind }
  if (kind !== 'ollama' && kind !== 'auto') {
    throw new AsteriaError('CONFIG', `Unknown judge "${String(kind)}"; expected one of ${JUDGE_KINDS.join(', ')}.`)
  }
  const { hasModel, probeOllama } = await import('../ollama/probe.js') // loads the ollama client only when needed
  const probe = await probeOllama(settings.host, Math.min(settings.timeoutMs, 1500))
  const missing = unavailable(probe, settings.model, hasModel)
  if (missing && kind === 'auto') {
    return { policy: guardPolicy, requested: kind, notice: `judge auto: ${missing.problem}; using the guard (${missing.fix} to use the model judge)` }
  }
  if (missing) {
    throw new AsteriaError('JUDGE', `The Ollama judge is not available: ${missing.problem}.`, {
      suggestions: [missing.fix, 'or pass --judge guard to judge offline'],
    })
  }
  const using = kind === 'auto' ? `judge auto: using ollama ${settings.model} at ${settings.host}` : undefined
  const old = lacks(probe.version, OLLAMA_FEATURES.logprobs) ? tooOld(probe.version!, OLLAMA_FEATURES.logprobs) : undefined
  const notice = using && old ? `${using}; ${old}` : (using ?? (old && `judge: ${old}`))
  return { ...(await ollamaChoice(settings)), requested: kind, notice }
}

function unavailable(probe: OllamaProbe, model: string, hasModel: (p: OllamaProbe, m: string) => boolean): { problem: string; fix: string } | undefined {
  if (!probe.reachable) return { problem: `Ollama is not reachable at ${probe.host} (${probe.error})`, fix: 'run `ollama serve`' }
  if (!hasModel(probe, model)) return { problem: `Ollama at ${probe.host} has no model ${model}`, fix: `run \`ollama pull ${model}\`` }
  return undefined
}

async function ollamaChoice(settings: JudgeSettings): Promise<Omit<JudgeChoice, 'requested'>> {
  const scheduler = settings.scheduler ?? new Scheduler({ judgeConcurrency: settings.concurrency, timers: settings.timers })
  const connection = { host: settings.host, model: settings.model, timeoutMs: settings.timeoutMs, keepAlive: settings.keepAlive ?? DEFAULT_KEEP_ALIVE }
  const judge = await createOllamaJudge({ ...connection, batch: settings.batch, scheduler })
  const policy: HitPolicy = {
    name: 'ollama',
    useGuard: true, // the guard always runs first: the model only sees what the rules let through
    judge,
    scheduling: {
      deadline: { timeoutMs: settings.timeoutMs, fraction: settings.deadlineFraction },
      skipAboveSimilarity: settings.skipAboveSimilarity,
      maxCandidates: JUDGED_CANDIDATES,
      scheduler,
      timers: settings.timers ?? scheduler.timers,
    },
  }
  const staticityScorer = createOllamaStaticityScorer({ chat: await createOllamaChat(connection), scheduler })
  return { policy, staticityScorer, scheduler }
}
