import type { ChatResponse } from 'ollama'
import type { Scheduler } from '../core/scheduler.js'
import type { Judge, JudgeCandidate, JudgeOptions, JudgeVerdict } from '../core/ports/hit-policy.js'
import { BATCH_VERDICT_SCHEMA, VERDICT_SCHEMA, batchPrompt, singlePrompt, type JudgeItem } from './judge-prompt.js'
import { createOllamaChat, type ChatCall, type OllamaChatSettings } from '../ollama/judge-chat.js'
import { LOGPROBS_MODE, isEmptyReply, processScoringModes, whyNotLogprobs, type ScoringMode, type ScoringModes } from './scoring-mode.js'
import { MalformedVerdictError, scoreFromJson, scoreFromLogprobs, scoresFromBatchJson, scoresFromBatchLogprobs } from './verdict-score.js'

export interface OllamaJudgeOptions {
  /** e.g. http://127.0.0.1:11434 (the client does not read OLLAMA_HOST: the caller resolves it). */
  host: string
  /** Any small chat model, e.g. qwen3:0.6b, or a reranker served as chat. */
  model: string
  /** Limit for each HTTP request, ms. */
  timeoutMs?: number
  keepAlive?: string | number
  /** Judge all candidates of one look-up in one request instead of one request each. */
  batch?: boolean
  /** Alternatives per answer token (P(yes) is read from them); 5 to 20, Ollama's limit. */
  topLogprobs?: number
  /** `json`: skip the logprobs question and ask for the structured verdict straight away. */
  scoring?: 'auto' | 'json'
  /** Where the scoring mode learned for a model is kept; default: shared by the whole process. */
  scoringModes?: ScoringModes
  /** Judge requests then wait behind the agent's and within the judge concurrency limit. */
  scheduler?: Scheduler
  fetch?: typeof fetch
}

export interface OllamaJudge extends Judge {
  readonly host: string
  readonly model: string
  /** Known after the first answer: logprobs, or JSON verdicts and why (no logprobs, or the model reasons first). */
  readonly scoring: ScoringMode | undefined
}

export const DEFAULT_JUDGE_MODEL = 'qwen3:0.6b'
export const DEFAULT_KEEP_ALIVE = '30m'

const DETERMINISTIC = { temperature: 0, top_k: 1 }
/** server/routes.go (v0.12.11 on) refuses top_logprobs above 20 with a 400. */
const MAX_TOP_LOGPROBS = 20
/** Tokens a reasoning model may spend before its JSON verdict (GPT-OSS cannot stop reasoning). */
const REASONING_TOKENS = 1024
const FORCED_JSON: ScoringMode = { mode: 'json', reason: 'JSON scoring was asked for', reasons: false }

/**
 * The small-model judge: "does this stored result answer this query?" asked without `format`,
 * scored as P("yes") from the first token's logprobs. A model that reasons first, or a server
 * without logprobs, gets the same question with a JSON schema from then on (remembered per
 * model). An empty reply is asked again once, then the look-up misses; it never changes the mode.
 */
export async function createOllamaJudge(options: OllamaJudgeOptions): Promise<OllamaJudge> {
  const settings: OllamaChatSettings = {
    host: options.host,
    model: options.model,
    timeoutMs: options.timeoutMs ?? 2000,
    keepAlive: options.keepAlive ?? DEFAULT_KEEP_ALIVE,
    fetch: options.fetch,
  }
  const chat = await createOllamaChat(settings)
  return new OllamaYesNoJudge(chat, options)
}

class OllamaYesNoJudge implements OllamaJudge {
  readonly name: string
  readonly host: string
  readonly model: string
  private readonly modes: ScoringModes

  constructor(
    private readonly chat: ChatCall,
    private readonly options: OllamaJudgeOptions,
  ) {
    this.host = options.host
    this.model = options.model
    this.name = `ollama ${options.model}`
    this.modes = options.scoringModes ?? processScoringModes
  }

  get scoring(): ScoringMode | undefined {
    return this.options.scoring === 'json' ? FORCED_JSON : this.modes.get(this.host, this.model)
  }

  async judge(query: string, candidates: JudgeCandidate[], options: JudgeOptions): Promise<JudgeVerdict[]> {
    const items: JudgeItem[] = candidates.map((c) => ({ storedQuestion: c.element.query, storedResult: c.element.result }))
    if (items.length === 0) return []
    if (this.options.batch && items.length > 1) return this.scheduled(options, () => this.ask(query, items, options.signal))
    return Promise.all(items.map((item) => this.scheduled(options, async () => (await this.ask(query, [item], options.signal))[0])))
  }

  private scheduled<T>(options: JudgeOptions, task: () => Promise<T>): Promise<T> {
    const scheduler = this.options.scheduler
    return scheduler ? scheduler.run('judge', task, { deadlineAt: options.deadlineMs, signal: options.signal }) : task()
  }

  private async ask(query: string, items: JudgeItem[], signal?: AbortSignal): Promise<JudgeVerdict[]> {
    const batch = items.length > 1
    if (this.scoring?.mode !== 'json') {
      const prompt = batch ? batchPrompt(query, items, 'yes-no') : singlePrompt(query, items[0], 'yes-no')
      const reply = await this.askTwiceIfEmpty({ messages: prompt, think: false, logprobs: true, top_logprobs: this.topLogprobs, options: { ...DETERMINISTIC, num_predict: 8 * items.length } }, signal)
      const why = whyNotLogprobs(reply, batch)
      if (why === undefined) {
        if (this.scoring === undefined) this.modes.set(this.host, this.model, LOGPROBS_MODE) // a JSON mode, once learned, stays
        return batch ? scoresFromBatchLogprobs(reply.logprobs!, items.length) : [scoreFromLogprobs(reply.logprobs!)]
      }
      this.modes.set(this.host, this.model, { mode: 'json', ...why })
    }
    const mode = this.scoring!
    const prompt = batch ? batchPrompt(query, items, 'json') : singlePrompt(query, items[0], 'json')
    const budget = (batch ? 48 : 64) * items.length + (mode.reasons ? REASONING_TOKENS : 0)
    const format = batch ? BATCH_VERDICT_SCHEMA : VERDICT_SCHEMA
    const reply = await this.askTwiceIfEmpty({ messages: prompt, think: false, format, options: { ...DETERMINISTIC, num_predict: budget } }, signal)
    const content = reply.message?.content ?? ''
    const verdicts = batch ? scoresFromBatchJson(content, items.length) : [scoreFromJson(content)]
    return verdicts.map((v) => ({ ...v, reason: `${v.reason}; a JSON verdict because ${mode.reason}` }))
  }

  private async askTwiceIfEmpty(request: Parameters<ChatCall>[0], signal?: AbortSignal): Promise<ChatResponse> {
    for (let attempt = 1; ; attempt++) {
      const reply = await this.chat(request, signal)
      if (!isEmptyReply(reply)) return reply
      if (attempt === 2) throw new MalformedVerdictError(`the judge returned an empty reply twice (done_reason ${JSON.stringify(reply.done_reason ?? '')})`)
    }
  }

  private get topLogprobs(): number {
    return Math.min(MAX_TOP_LOGPROBS, Math.max(5, this.options.topLogprobs ?? 10))
  }
}
