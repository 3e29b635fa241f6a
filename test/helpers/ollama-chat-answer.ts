/**
 * POST /api/chat of the Ollama test server, as strict as server/routes.go ChatHandler of the
 * version it reports: the same refusals (top_logprobs outside 0..20, tools or `think` for a model
 * without them, chat with an embedding model), thinking on by default for a thinking model,
 * reasoning in `message.thinking` and in the logprobs, `num_predict` cutting the reply short, and
 * no logprobs from a server that predates them.
 */
import type { ServerResponse } from 'node:http'
import { sendJson } from './loopback-server.js'
import { SINCE, alwaysThinks, atLeast, capabilitiesOf, type ScriptedModel } from './ollama-models.js'

export interface TokenLogprob {
  token: string
  logprob: number
}

export interface ScriptedLogprob extends TokenLogprob {
  top_logprobs?: TokenLogprob[]
}

export interface ChatRequestBody {
  model: string
  messages?: Array<{ role: string; content: string; [key: string]: unknown }>
  stream?: boolean
  format?: unknown
  tools?: unknown[]
  think?: unknown
  logprobs?: boolean
  top_logprobs?: number
  options?: Record<string, unknown>
}

/** What the model says. `thinking` is what it reasons when the server lets it think (default DEFAULT_THINKING). */
export interface ChatReply {
  content: string
  thinking?: string
  tool_calls?: Array<{ function: { name: string; arguments: Record<string, unknown> } }>
  /** The content's tokens; without them each word is a token of probability 1. */
  logprobs?: ScriptedLogprob[]
  done_reason?: string
  streamError?: string
}

export const DEFAULT_THINKING = 'Let me think about what is being asked before I answer.'

/** Checked before the model is looked up, as in ChatHandler. */
export function topLogprobsRefusal(request: ChatRequestBody, version: string): string | undefined {
  const top = request.top_logprobs ?? 0
  return atLeast(version, SINCE.logprobs) && (top < 0 || top > 20) ? 'top_logprobs must be between 0 and 20' : undefined
}

/** The 400 a real server sends for what this model cannot do (`%q does not support ...`, server/routes.go). */
export function capabilityRefusal(request: ChatRequestBody, model: ScriptedModel, version: string): string | undefined {
  const capabilities = capabilitiesOf(model)
  if (!capabilities.includes('completion')) return `"${request.model}" does not support chat`
  const wantsThinking = request.think !== undefined && request.think !== false
  if (wantsThinking && atLeast(version, SINCE.think) && !capabilities.includes('thinking')) return `"${request.model}" does not support thinking`
  if ((request.tools?.length ?? 0) > 0 && !capabilities.includes('tools')) return `${request.model} does not support tools`
  return undefined
}

type Thinking = 'none' | 'inline' | 'separate'

/** Before `think` existed, and with it unset before v0.12.4, a thinking model reasons inside `content`. */
function thinkingOf(request: ChatRequestBody, model: ScriptedModel, version: string): Thinking {
  if (!capabilitiesOf(model).includes('thinking')) return 'none'
  if (!atLeast(version, SINCE.think)) return 'inline'
  if (alwaysThinks(model)) return 'separate'
  if (request.think === undefined) return atLeast(version, SINCE.thinkByDefault) ? 'separate' : 'inline'
  return request.think === false ? 'none' : 'separate'
}

interface Token extends ScriptedLogprob {
  reasoning: boolean
}

const pieces = (text: string) => text.match(/\S+\s*|\s+/g) ?? []
const certain = (token: string, reasoning: boolean): Token => ({ token, logprob: 0, top_logprobs: [{ token, logprob: 0 }], reasoning })

/** Every generated token, reasoning included, cut at num_predict as the runner stops there. */
function generate(request: ChatRequestBody, reply: ChatReply, thinking: Thinking) {
  const reasoning = thinking === 'none' ? [] : ['<think>', ...pieces(reply.thinking ?? DEFAULT_THINKING), '</think>'].map((t) => certain(t, true))
  const answer = reply.logprobs?.map((l) => ({ ...l, reasoning: false })) ?? pieces(reply.content).map((t) => certain(t, false))
  const all = [...reasoning, ...answer]
  const limit = Number(request.options?.num_predict ?? -1)
  const cut = limit >= 0 && all.length > limit
  const tokens = cut ? all.slice(0, limit) : all
  const thought = tokens.filter((t) => t.reasoning && !/^<\/?think>$/.test(t.token)).map((t) => t.token).join('')
  const spoken = cut ? tokens.filter((t) => !t.reasoning).map((t) => t.token).join('') : reply.content
  const content = thinking === 'inline' && tokens.length > 0 ? `<think>${thought}${cut ? '' : '</think>'}${spoken}` : spoken
  return { tokens, content, thinking: thinking === 'separate' ? thought : '', separate: thinking === 'separate', cut }
}

function shapeLogprobs(tokens: Token[], top: number | undefined): ScriptedLogprob[] | undefined {
  if (tokens.length === 0) return undefined // `logprobs,omitempty` in api/types.go
  return tokens.map(({ token, logprob, top_logprobs }) => (top && top > 0 && top_logprobs ? { token, logprob, top_logprobs: top_logprobs.slice(0, top) } : { token, logprob }))
}

export function answerChat(request: ChatRequestBody, reply: ChatReply, model: ScriptedModel, version: string, res: ServerResponse): void {
  const thinking = thinkingOf(request, model, version)
  const made = generate(request, reply, thinking)
  const logprobs = request.logprobs === true && atLeast(version, SINCE.logprobs) ? shapeLogprobs(made.tokens, request.top_logprobs) : undefined
  const base = { model: request.model, created_at: new Date().toISOString() }
  const totals = {
    done: true,
    done_reason: made.cut ? 'length' : (reply.done_reason ?? 'stop'),
    total_duration: 2_000_000,
    load_duration: 0,
    prompt_eval_count: 1,
    prompt_eval_duration: 1_000_000,
    eval_count: made.tokens.length,
    eval_duration: 1_000_000,
  }
  const toolCalls = made.cut ? undefined : reply.tool_calls
  const message = { role: 'assistant', content: made.content, ...(made.thinking ? { thinking: made.thinking } : {}), ...(toolCalls ? { tool_calls: toolCalls } : {}) }
  if (request.stream === false) return sendJson(res, 200, { ...base, message, ...totals, ...(logprobs ? { logprobs } : {}) })

  // Ollama streams by default: one line per token, then a closing line with done: true.
  const lines: object[] = made.tokens.map((token, i) => ({
    ...base,
    message: made.separate && token.reasoning ? { role: 'assistant', content: '', thinking: token.token } : { role: 'assistant', content: token.token },
    done: false,
    ...(logprobs ? { logprobs: [logprobs[i]] } : {}),
  }))
  if (toolCalls) lines.push({ ...base, message: { role: 'assistant', content: '', tool_calls: toolCalls }, done: false })
  const last = reply.streamError ? { error: reply.streamError } : { ...base, message: { role: 'assistant', content: '' }, ...totals }
  res.writeHead(200, { 'content-type': 'application/x-ndjson' })
  for (const line of [...lines, last]) res.write(`${JSON.stringify(line)}\n`)
  res.end()
}
