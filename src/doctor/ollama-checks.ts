import type { AsteriaConfig } from '../config/config.js'
import { hasModel, type OllamaProbe } from '../ollama/probe.js'
import { OLLAMA_FEATURES, UPGRADE_OLLAMA, lacks, outdatedFeatures, tooOld } from '../ollama/server-features.js'
import type { DoctorCheck } from './doctor-check.js'

/** The Ollama embedder: server, model, that the model makes embeddings (its /api/show capabilities), and /api/embed. */
export function ollamaEmbedderCheck(config: AsteriaConfig, probe: OllamaProbe, capabilities: string[] | undefined): DoctorCheck {
  const model = config.embedderModel
  const at = `ollama ${model} at ${probe.host}`
  if (!probe.reachable) return { part: 'embedder', status: 'error', detail: `${at}: not reachable (${probe.error})`, fix: 'ollama serve' }
  if (lacks(probe.version, OLLAMA_FEATURES.embed)) return { part: 'embedder', status: 'error', detail: `${at}: ${tooOld(probe.version!, OLLAMA_FEATURES.embed)}`, fix: UPGRADE_OLLAMA }
  if (!hasModel(probe, model)) return { part: 'embedder', status: 'error', detail: `${at}: model not pulled`, fix: `ollama pull ${model}` }
  if (capabilities && !capabilities.includes('embedding')) {
    const detail = `${at}: not an embedding model (it can do: ${capabilities.join(', ') || 'nothing listed'})`
    return { part: 'embedder', status: 'error', detail, fix: 'ollama pull nomic-embed-text && asteria ... --embedder-model nomic-embed-text' }
  }
  return { part: 'embedder', status: 'ok', detail: `${at}: present` }
}

const GUARD_DETAIL = 'guard: rule-based (entities, numbers, dates, units, negation, comparatives, question type)'

/** The judge in force and, for the Ollama judge, whether its server and model are there and the server returns logprobs. */
export function judgeCheck(config: AsteriaConfig, probe: OllamaProbe): DoctorCheck {
  const model = config.judgeModel
  const upgrade = `for a model judge: ollama pull ${model} && asteria ... --judge auto`
  if (config.judge === 'none') return { part: 'judge', status: 'embedded', detail: 'none: similarity threshold only', fix: 'for fewer wrong hits: asteria ... --judge guard' }
  if (config.judge === 'learned') return { part: 'judge', status: 'embedded', detail: 'learned: the guard, then the offline pair classifier' }
  if (config.judge === 'guard') return { part: 'judge', status: 'embedded', detail: GUARD_DETAIL, fix: probe.reachable && hasModel(probe, model) ? `ollama ${model} is available: asteria ... --judge auto` : upgrade }
  const present = probe.reachable && hasModel(probe, model)
  const state = !probe.reachable ? `not reachable (${probe.error})` : present ? 'present' : 'model not pulled'
  const fix = !probe.reachable ? `ollama serve   (then: ollama pull ${model})` : present ? undefined : `ollama pull ${model}`
  if (config.judge === 'auto' && !present) {
    return { part: 'judge', status: 'embedded', detail: `auto: ollama ${model} at ${probe.host} ${state}; using the ${GUARD_DETAIL}`, fix }
  }
  const detail = `${config.judge}: guard, then ollama ${model} at ${probe.host}: ${state}`
  if (present && lacks(probe.version, OLLAMA_FEATURES.logprobs)) {
    return { part: 'judge', status: 'warn', detail: `${detail}; ${tooOld(probe.version!, OLLAMA_FEATURES.logprobs)}`, fix: UPGRADE_OLLAMA }
  }
  return { part: 'judge', status: present ? 'ok' : 'error', detail, fix }
}

/** The server itself: reachable, its version, its models, and each feature it is too old for. */
export function ollamaCheck(probe: OllamaProbe): DoctorCheck {
  if (!probe.reachable) {
    return { part: 'ollama', status: 'warn', detail: `not reachable at ${probe.host} (${probe.error}); everything runs on the embedded defaults`, fix: 'ollama serve   (then: ollama pull nomic-embed-text)' }
  }
  const outdated = outdatedFeatures(probe.version)
  const detail = `reachable at ${probe.host} (version ${probe.version}); models: ${probe.models.join(', ') || 'none'}`
  if (outdated.length === 0) return { part: 'ollama', status: 'ok', detail }
  return { part: 'ollama', status: 'warn', detail: `${detail}. ${outdated.join('. ')}`, fix: UPGRADE_OLLAMA }
}
