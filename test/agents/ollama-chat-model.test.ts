import { afterEach, describe, expect, it } from 'vitest'
import { runDirectly, type ChatToolSpec } from '../../src/agents/chat-model.js'
import { createOllamaChatModel, type OllamaChatOptions } from '../../src/agents/ollama-chat-model.js'
import { runToolLoop } from '../../src/agents/tool-loop.js'
import { DEFAULT_THINKING, startOllamaServer, type ChatRequestBody, type OllamaScript, type OllamaTestServer } from '../helpers/ollama-server.js'

let server: OllamaTestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const SEARCH: ChatToolSpec = { name: 'search', description: 'web search', parameters: { type: 'object', properties: { query: { type: 'string', description: 'what to look for' } }, required: ['query'] } }
const QUESTION = [{ role: 'user' as const, content: 'Who wrote Hamlet?' }]
const chatBodies = () => server!.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as ChatRequestBody)

async function modelOn(script: OllamaScript, options: Partial<OllamaChatOptions> = {}) {
  server = await startOllamaServer(script)
  return createOllamaChatModel({ host: server.url, model: 'qwen3:8b', timeoutMs: 10_000, ...options })
}

describe('createOllamaChatModel', () => {
  it('sends think: false by default, so a thinking model takes a tool step without reasoning first', async () => {
    // Given qwen3, which reasons before every reply when think is left out (Ollama 0.12.4 on)
    const model = await modelOn({ models: ['qwen3:8b'], chat: () => ({ content: '', tool_calls: [{ function: { name: 'search', arguments: { query: 'hamlet' } } }] }) })
    // When it takes a tool step
    const reply = await model.chat(QUESTION, [SEARCH])
    // Then the request turned thinking off and the reply is the tool call alone
    expect(chatBodies()[0].think).toBe(false)
    expect(reply).toEqual({ content: '', toolCalls: [{ name: 'search', arguments: { query: 'hamlet' } }] })
  })

  it('keeps the reasoning apart from the answer, whether Ollama sends it in thinking or inline in the content', async () => {
    // Given GPT-OSS, which reasons whatever think says, and qwen3 on Ollama 0.8 (before think), which reasons inside its content
    const gptOss = await modelOn({ models: ['gpt-oss:20b'], chat: () => ({ content: 'William Shakespeare' }) }, { model: 'gpt-oss:20b' })
    const separate = await gptOss.chat(QUESTION, [])
    await server!.close()
    const old = await modelOn({ models: ['qwen3:8b'], version: '0.8.0', chat: () => ({ content: 'William Shakespeare' }) })
    const inline = await old.chat(QUESTION, [])
    // Then both answers are the answer alone, with the reasoning read separately
    expect(separate).toEqual({ content: 'William Shakespeare', toolCalls: [], thinking: DEFAULT_THINKING })
    expect(inline).toEqual({ content: 'William Shakespeare', toolCalls: [], thinking: DEFAULT_THINKING })
  })

  it('never gives the reasoning as the answer when the model said nothing else', async () => {
    // Given a model that only reasons
    const model = await modelOn({ models: ['gpt-oss:20b'], chat: () => ({ content: '' }) }, { model: 'gpt-oss:20b' })
    // When it is asked in the tool loop
    const result = await runToolLoop({ model, schedule: runDirectly, system: 'Answer briefly.', question: 'Who wrote Hamlet?', tools: [], maxSteps: 1 })
    // Then there is no answer rather than its reasoning
    expect(result.answer).toBe('(the model gave no answer)')
  })

  it('sends the think setting it is given: on as true, a level as itself', async () => {
    const on = await modelOn({ models: ['qwen3:8b'], chat: () => ({ content: 'yes' }) }, { think: 'on' })
    expect(await on.chat(QUESTION, [])).toEqual({ content: 'yes', toolCalls: [], thinking: DEFAULT_THINKING })
    await server!.close()
    const low = await modelOn({ models: ['gpt-oss:20b'], chat: () => ({ content: 'yes' }) }, { model: 'gpt-oss:20b', think: 'low' })
    await low.chat(QUESTION, [])
    expect(chatBodies()[0].think).toBe('low')
  })

  it('says to turn thinking off when the model cannot think, and to pick a model with tools when it has none', async () => {
    // Given llama3.2 (tools, no thinking) and gemma (neither), as Ollama reports them
    const thinking = await modelOn({ models: ['llama3.2:3b', 'gemma:2b'] }, { model: 'llama3.2:3b', think: 'on' })
    const noTools = await createOllamaChatModel({ host: server!.url, model: 'gemma:2b' })
    // When each is asked
    // Then each error says what to change
    await expect(thinking.chat(QUESTION, [SEARCH])).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringContaining('The model llama3.2:3b cannot think'), suggestions: expect.arrayContaining(['turn thinking off: --think off']) })
    await expect(noTools.chat(QUESTION, [SEARCH])).rejects.toMatchObject({ message: expect.stringContaining('does not support tool calling') })
  })
})
