/** One tool call the model asked for. */
export interface ChatToolCall {
  name: string
  arguments: Record<string, unknown>
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool'
  content: string
  toolCalls?: ChatToolCall[]
  /** For role "tool": which tool produced this result. */
  toolName?: string
}

/** A function the model may call, described with a JSON schema. */
export interface ChatToolSpec {
  name: string
  description: string
  parameters: {
    type: 'object'
    properties: Record<string, { type: string; description: string; enum?: string[] }>
    required: string[]
  }
}

export interface ChatReply {
  /** The answer, or the text beside tool calls: never the model's reasoning. */
  content: string
  toolCalls: ChatToolCall[]
  /** The model's reasoning before it answered, kept apart from the answer. */
  thinking?: string
}

/** The agent's main model: chat with tool calling (Ollama here; any provider fits). */
export interface ChatModel {
  readonly name: string
  chat(messages: ChatMessage[], tools: ChatToolSpec[], signal?: AbortSignal): Promise<ChatReply>
}

/**
 * Runs one chat request now, or when a scheduler lets it (the judge scheduler gives agent
 * requests priority over judge work on a shared Ollama server).
 */
export type Schedule = <T>(request: () => Promise<T>) => Promise<T>

export const runDirectly: Schedule = (request) => request()
