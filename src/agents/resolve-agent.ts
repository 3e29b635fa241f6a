import type { AgentKind, AgentThink } from '../config/source-config.js'
import { AsteriaError } from '../core/errors.js'
import { hasModel, probeOllama, type OllamaProbe } from '../ollama/probe.js'
import type { Schedule } from './chat-model.js'
import { createModelAgent } from './model-agent.js'
import { createOllamaChatModel } from './ollama-chat-model.js'
import { replayAgent } from './replay-agent.js'
import type { TaskAgent } from './task-agent.js'

export interface ResolveAgentOptions {
  requested: AgentKind
  host: string
  model: string
  think?: AgentThink
  maxSteps: number
  schedule?: Schedule
  probe?: (host: string) => Promise<OllamaProbe>
}

export interface ResolvedAgent {
  agent: TaskAgent
  /** Why replay runs although a model agent could have: shown in the report. */
  note?: string
}

/**
 * `ollama`: the model agent, or an error saying what is missing; `replay`: trace replay;
 * `auto`: the model agent when Ollama answers and has the model, otherwise replay, saying why.
 */
export async function resolveAgent(options: ResolveAgentOptions): Promise<ResolvedAgent> {
  if (options.requested === 'replay') return { agent: replayAgent }
  const probe = await (options.probe ?? probeOllama)(options.host)
  const missing = !probe.reachable
    ? `Ollama is not reachable at ${options.host} (${probe.error ?? 'no answer'})`
    : !hasModel(probe, options.model)
      ? `Ollama at ${options.host} has no model ${options.model}`
      : undefined
  if (missing === undefined) {
    const model = await createOllamaChatModel({ host: options.host, model: options.model, think: options.think })
    return { agent: createModelAgent({ model, maxSteps: options.maxSteps, schedule: options.schedule }) }
  }
  const fix = probe.reachable ? `ollama pull ${options.model}` : 'ollama serve'
  if (options.requested === 'ollama') {
    throw new AsteriaError('CONFIG', `${missing}, so the agent cannot run.`, {
      suggestions: [`Run \`${fix}\`${probe.reachable ? '' : ` and \`ollama pull ${options.model}\``}.`, 'Or replay the recorded plans: --agent replay.'],
    })
  }
  return { agent: replayAgent, note: `${missing}; run \`${fix}\` for a model agent.` }
}
