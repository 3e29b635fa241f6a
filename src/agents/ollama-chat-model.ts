import type { Message, Tool } from 'ollama'
import type { AgentThink } from '../config/source-config.js'
import { AsteriaError } from '../core/errors.js'
import type { ChatMessage, ChatModel, ChatReply, ChatToolSpec } from './chat-model.js'
import { ollamaClients } from '../ollama/client.js'

export interface OllamaChatOptions {
  /** e.g. http://127.0.0.1:11434 (the client does not read OLLAMA_HOST: the caller resolves it). */
  host: string
  model: string
  /**
   * Reasoning before each step, sent as Ollama's `think` on every request: since v0.12.4 a
   * thinking model left without it reasons first (server/routes.go ChatHandler), which slows every
   * tool step. Default off; GPT-OSS ignores off and takes a level (docs/capabilities/thinking.mdx).
   */
  think?: AgentThink
  /** Limit for one chat request; a large model's first answer can take a while. */
  timeoutMs?: number
  fetch?: typeof fetch
}

export const DEFAULT_CHAT_TIMEOUT_MS = 120_000

/** The main chat model through the official ollama client, with tool calling. */
export async function createOllamaChatModel(options: OllamaChatOptions): Promise<ChatModel> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHAT_TIMEOUT_MS
  const clientFor = await ollamaClients(options.host, timeoutMs, options.fetch ?? globalThis.fetch)
  return {
    name: options.model,
    async chat(messages: ChatMessage[], tools: ChatToolSpec[], signal?: AbortSignal): Promise<ChatReply> {
      try {
        const response = await clientFor(signal).chat({
          model: options.model,
          messages: messages.map(toOllamaMessage),
          tools: tools.map(toOllamaTool),
          stream: false,
          think: thinkSetting(options.think ?? 'off'),
          options: { temperature: 0 },
        })
        const calls = response.message?.tool_calls ?? []
        const { answer, inline } = splitInlineThinking(response.message?.content ?? '')
        const thinking = [response.message?.thinking ?? '', inline].filter((t) => t.trim() !== '').join('\n')
        return {
          content: answer,
          toolCalls: calls.map((c) => ({ name: c.function.name, arguments: (c.function.arguments ?? {}) as Record<string, unknown> })),
          ...(thinking ? { thinking } : {}),
        }
      } catch (error) {
        if (signal?.aborted) throw signal.reason
        throw chatError(error, options.host, options.model, timeoutMs)
      }
    },
  }
}

function toOllamaMessage(message: ChatMessage): Message {
  return {
    role: message.role,
    content: message.content,
    ...(message.toolCalls ? { tool_calls: message.toolCalls.map((c) => ({ function: { name: c.name, arguments: c.arguments } })) } : {}),
    ...(message.toolName ? { tool_name: message.toolName } : {}),
  }
}

function toOllamaTool(spec: ChatToolSpec): Tool {
  return { type: 'function', function: { name: spec.name, description: spec.description, parameters: spec.parameters } }
}

function thinkSetting(think: AgentThink): boolean | 'low' | 'medium' | 'high' {
  return think === 'off' ? false : think === 'on' ? true : think
}

/** Servers before v0.9.0 (no `think`) and models without a thinking parser put `<think>...</think>` in the content itself. */
function splitInlineThinking(content: string): { answer: string; inline: string } {
  const block = /<think>([\s\S]*?)(?:<\/think>|$)/g // unclosed when the reply was cut while reasoning
  const inline = [...content.matchAll(block)].map((m) => m[1].trim()).join('\n')
  return { answer: content.replace(block, '').trim(), inline }
}

function chatError(error: unknown, host: string, model: string, timeoutMs: number): AsteriaError {
  const name = (error as { name?: string })?.name
  const text = error instanceof Error ? error.message : String(error)
  const replay = 'or run without a model: --agent replay'
  const fail = (message: string, ...suggestions: string[]) => new AsteriaError('CONFIG', message, { suggestions, cause: error })
  if (name === 'TimeoutError') return fail(`The agent model ${model} did not answer within ${timeoutMs} ms at ${host}.`, 'use a smaller model with --model', replay)
  if (name === 'ResponseError') {
    const status = Number((error as { status_code?: unknown }).status_code)
    if (status === 404) return fail(`Ollama at ${host} has no model ${model} (${text}).`, `\`ollama pull ${model}\``, replay)
    if (/does not support tools/i.test(text)) return fail(`The model ${model} does not support tool calling (${text}).`, 'use a model with tools, e.g. --model qwen3:8b', replay)
    if (/does not support thinking/i.test(text)) return fail(`The model ${model} cannot think (${text}).`, 'turn thinking off: --think off', 'or use a thinking model, e.g. --model qwen3:8b')
    return fail(`Ollama at ${host} answered HTTP ${status} for the agent model ${model}: ${text}.`, 'check the `ollama serve` log', replay)
  }
  const code = (error as { cause?: { code?: string } })?.cause?.code
  return fail(`The agent model ${model} is not reachable at ${host} (${code ?? text}).`, 'run `ollama serve`', replay)
}
