import type { Scheduler } from '../core/scheduler.js'
import type { Judge, JudgeCandidate, JudgeOptions, JudgeVerdict } from './judge.js'
import { BATCH_VERDICT_SCHEMA, VERDICT_SCHEMA, batchPrompt, singlePrompt, type JudgeItem } from './judge-prompt.js'
import { createOllamaChat, type ChatCall, type OllamaChatSettings } from './ollama-chat.js'
import { scoreFromJson, scoreFromLogprobs, scoresFromBatchJson, scoresFromBatchLogprobs } from './verdict-score.js'

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
  /** Alternatives per answer token (P(yes) is read from them). */
  topLogprobs?: number
  /** `json`: skip the logprobs question and ask for the structured verdict straight away. */
  scoring?: 'auto' | 'json'
  /** Judge requests then wait behind the agent's and within the judge concurrency limit. */
  scheduler?: Scheduler
  fetch?: typeof fetch
}

export interface OllamaJudge extends Judge {
  readonly host: string
  readonly model: string
  /** Known after the first answer: false when the server returns no logprobs (the judge then asks for JSON). */
  readonly logprobs: boolean | undefined
}

export const DEFAULT_JUDGE_MODEL = 'qwen3:0.6b'
export const DEFAULT_KEEP_ALIVE = '30m'

const DETERMINISTIC = { temperature: 0, top_k: 1 }

/**
 * The small-model judge: "does this stored result answer this query?" asked without `format`,
 * scored as P("yes") from the first token's logprobs; servers without logprobs get the same
 * question with a JSON schema. Temperature 0, no thinking, the model kept loaded.
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
  logprobs: boolean | undefined

  constructor(
    private readonly chat: ChatCall,
    private readonly options: OllamaJudgeOptions,
  ) {
    this.host = options.host
    this.model = options.model
    this.name = `ollama ${options.model}`
    if (options.scoring === 'json') this.logprobs = false
  }

  async judge(query: string, candidates: JudgeCandidate[], options: JudgeOptions): Promise<JudgeVerdict[]> {
    const items: JudgeItem[] = candidates.map((c) => ({ storedQuestion: c.element.query, storedResult: c.element.result }))
    if (items.length === 0) return []
    if (this.options.batch && items.length > 1) return this.scheduled(options, () => this.askBatch(query, items, options.signal))
    return Promise.all(items.map((item) => this.scheduled(options, () => this.askOne(query, item, options.signal))))
  }

  private scheduled<T>(options: JudgeOptions, task: () => Promise<T>): Promise<T> {
    const scheduler = this.options.scheduler
    return scheduler ? scheduler.run('judge', task, { deadlineAt: options.deadlineMs, signal: options.signal }) : task()
  }

  private async askOne(query: string, item: JudgeItem, signal?: AbortSignal): Promise<JudgeVerdict> {
    if (this.logprobs !== false) {
      const response = await this.chat(
        { messages: singlePrompt(query, item, 'yes-no'), think: false, logprobs: true, top_logprobs: this.topLogprobs, options: { ...DETERMINISTIC, num_predict: 8 } },
        signal,
      )
      if (Array.isArray(response.logprobs) && response.logprobs.length > 0) {
        this.logprobs = true
        return scoreFromLogprobs(response.logprobs)
      }
      this.logprobs = false // this server has no logprobs: from now on ask for JSON straight away
    }
    const response = await this.chat({ messages: singlePrompt(query, item, 'json'), think: false, format: VERDICT_SCHEMA, options: { ...DETERMINISTIC, num_predict: 64 } }, signal)
    return scoreFromJson(response.message?.content ?? '')
  }

  private async askBatch(query: string, items: JudgeItem[], signal?: AbortSignal): Promise<JudgeVerdict[]> {
    if (this.logprobs !== false) {
      const response = await this.chat(
        { messages: batchPrompt(query, items, 'yes-no'), think: false, logprobs: true, top_logprobs: this.topLogprobs, options: { ...DETERMINISTIC, num_predict: 8 * items.length } },
        signal,
      )
      if (Array.isArray(response.logprobs) && response.logprobs.length > 0) {
        this.logprobs = true
        return scoresFromBatchLogprobs(response.logprobs, items.length)
      }
      this.logprobs = false
    }
    const response = await this.chat(
      { messages: batchPrompt(query, items, 'json'), think: false, format: BATCH_VERDICT_SCHEMA, options: { ...DETERMINISTIC, num_predict: 48 * items.length } },
      signal,
    )
    return scoresFromBatchJson(response.message?.content ?? '', items.length)
  }

  private get topLogprobs(): number {
    return Math.max(5, this.options.topLogprobs ?? 10)
  }
}
