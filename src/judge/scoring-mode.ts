import type { ChatResponse } from 'ollama'
import { answerWord, firstAnswerToken } from './verdict-score.js'

/**
 * How the Ollama judge scores a model's verdict: P("yes") from the first token's logprobs, or
 * the structured JSON verdict when that cannot work for this model on this server, and why.
 */
export interface ScoringMode {
  mode: 'logprobs' | 'json'
  reason: string
  /** The model reasons before it answers: a JSON verdict needs room for the reasoning. */
  reasons: boolean
}

export const LOGPROBS_MODE: ScoringMode = { mode: 'logprobs', reason: "P(yes) from the first answer token's logprobs", reasons: false }

/** What each judge learned about a model, shared by every judge of this process that asks the same server and model. */
export class ScoringModes {
  private readonly byModel = new Map<string, ScoringMode>()

  get(host: string, model: string): ScoringMode | undefined {
    return this.byModel.get(`${host} ${model}`)
  }

  set(host: string, model: string, mode: ScoringMode): void {
    this.byModel.set(`${host} ${model}`, mode)
  }
}

export const processScoringModes = new ScoringModes()

/** Nothing said at all: the model ended at once, or the server answered a load. Retried, never a reason to change mode. */
export function isEmptyReply(reply: ChatResponse): boolean {
  return !reply.message?.content?.trim() && !reply.message?.thinking?.trim()
}

/**
 * Why this (non-empty) reply to the yes/no question cannot be scored from logprobs, or undefined
 * when it can. Ollama's logprobs cover every generated token, reasoning included (server/routes.go
 * ChatHandler), so a model that reasons puts words before its yes/no; GPT-OSS reasons even with
 * `think: false`; servers before v0.12.11 send no `logprobs` (api/types.go, `omitempty`).
 */
export function whyNotLogprobs(reply: ChatResponse, batch: boolean): Pick<ScoringMode, 'reason' | 'reasons'> | undefined {
  if (reply.message?.thinking?.trim()) {
    return { reason: 'the model reasons before it answers (Ollama returned "thinking" although the judge sent think: false)', reasons: true }
  }
  if (!Array.isArray(reply.logprobs) || reply.logprobs.length === 0) {
    return { reason: 'the server returns no logprobs (Ollama before 0.12.11)', reasons: false }
  }
  const first = firstAnswerToken(reply.logprobs)
  if (first === undefined || answerWord(first.token) !== undefined) return undefined
  if (batch && /^\s*1\s*[:.)]?\s*$/.test(first.token)) return undefined // "1: yes" numbers its lines
  return { reason: `the model's first token was ${JSON.stringify(first.token.slice(0, 20))}, not yes or no (it reasons in its answer or ignores the format)`, reasons: true }
}
