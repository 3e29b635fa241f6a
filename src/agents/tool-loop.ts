import type { ChatMessage, ChatModel, ChatToolSpec, Schedule } from './chat-model.js'

/** A tool the model may call; its result goes back to the model as text. */
export interface AgentTool {
  spec: ChatToolSpec
  run(args: Record<string, unknown>): Promise<string>
}

export interface ToolLoopOptions {
  model: ChatModel
  schedule: Schedule
  system: string
  question: string
  tools: AgentTool[]
  /** Model turns before the agent must answer with what it has. */
  maxSteps: number
}

export interface ToolLoopResult {
  answer: string
  steps: number
  toolCalls: number
  /** false when the step limit forced the answer. */
  finished: boolean
}

const FORCE_ANSWER = 'Step limit reached. Answer now with what you have found, without calling tools.'

/** ReAct with native tool calls: the model acts (calls tools) and observes (their results) until it answers. */
export async function runToolLoop(options: ToolLoopOptions): Promise<ToolLoopResult> {
  const { model, schedule, tools } = options
  const specs = tools.map((t) => t.spec)
  const messages: ChatMessage[] = [
    { role: 'system', content: options.system },
    { role: 'user', content: options.question },
  ]
  let toolCalls = 0
  for (let step = 1; step <= options.maxSteps; step++) {
    const reply = await schedule(() => model.chat(messages, specs))
    if (reply.toolCalls.length === 0) return { answer: answerText(reply.content), steps: step, toolCalls, finished: true }
    messages.push({ role: 'assistant', content: reply.content, toolCalls: reply.toolCalls })
    for (const call of reply.toolCalls) {
      toolCalls++
      const tool = tools.find((t) => t.spec.name === call.name)
      const result = tool
        ? await tool.run(call.arguments ?? {})
        : `There is no tool "${call.name}". Available tools: ${specs.map((s) => s.name).join(', ')}.`
      messages.push({ role: 'tool', toolName: call.name, content: result })
    }
  }
  messages.push({ role: 'user', content: FORCE_ANSWER })
  const last = await schedule(() => model.chat(messages, []))
  return { answer: answerText(last.content), steps: options.maxSteps + 1, toolCalls, finished: false }
}

function answerText(content: string): string {
  return content.trim() === '' ? '(the model gave no answer)' : content.trim()
}
