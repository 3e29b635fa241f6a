import { Ollama } from 'ollama'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_THINKING, startOllamaServer, type OllamaScript, type OllamaTestServer } from './ollama-server.js'

let server: OllamaTestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function clientFor(script: OllamaScript): Promise<Ollama> {
  server = await startOllamaServer(script)
  return new Ollama({ host: server.url })
}

const ask = { messages: [{ role: 'user', content: 'is it?' }], stream: false as const }
const tool = { type: 'function', function: { name: 'search', description: 'web search', parameters: { type: 'object', properties: {}, required: [] } } }

describe('startOllamaServer refuses what a real Ollama refuses', () => {
  it('answers 400 for top_logprobs above 20 (server/routes.go since v0.12.11)', async () => {
    const client = await clientFor({})
    await expect(client.chat({ ...ask, model: 'qwen3:0.6b', logprobs: true, top_logprobs: 21 })).rejects.toMatchObject({ status_code: 400, error: 'top_logprobs must be between 0 and 20' })
  })

  it('answers 400 for tools or think:true on a model without them, and for chat with an embedding model', async () => {
    const client = await clientFor({ models: ['gemma:2b', 'nomic-embed-text:latest'] })
    await expect(client.chat({ ...ask, model: 'gemma:2b', tools: [tool] })).rejects.toMatchObject({ status_code: 400, error: 'gemma:2b does not support tools' })
    await expect(client.chat({ ...ask, model: 'gemma:2b', think: true })).rejects.toMatchObject({ status_code: 400, error: '"gemma:2b" does not support thinking' })
    await expect(client.chat({ ...ask, model: 'gemma:2b', think: false })).resolves.toMatchObject({ message: { content: 'is it?' } })
    await expect(client.chat({ ...ask, model: 'nomic-embed-text' })).rejects.toMatchObject({ error: '"nomic-embed-text" does not support chat' })
  })

  it('lets a thinking model think unless think is false, with its reasoning in thinking and in the logprobs', async () => {
    // Given a qwen3 model answering "yes"
    const client = await clientFor({ models: ['qwen3:8b'], chat: () => ({ content: 'yes' }) })
    // When it is asked without think, and with think false
    const unset = await client.chat({ ...ask, model: 'qwen3:8b', logprobs: true })
    const off = await client.chat({ ...ask, model: 'qwen3:8b', logprobs: true, think: false })
    // Then unset means thinking (v0.12.4 on): reasoning in `thinking`, and first in the logprobs
    expect(unset.message).toMatchObject({ content: 'yes', thinking: DEFAULT_THINKING })
    expect(unset.logprobs?.[0].token).toBe('<think>')
    expect(unset.logprobs?.at(-1)?.token).toBe('yes')
    // And think:false gives the bare answer
    expect(off.message.thinking).toBeUndefined()
    expect(off.logprobs?.map((l) => l.token)).toEqual(['yes'])
  })

  it('keeps GPT-OSS thinking with think:false, and stops at num_predict inside the reasoning', async () => {
    const client = await clientFor({ models: ['gpt-oss:20b'], chat: () => ({ content: 'yes' }) })
    const reply = await client.chat({ ...ask, model: 'gpt-oss:20b', think: false, options: { num_predict: 3 } })
    expect(reply).toMatchObject({ done_reason: 'length', message: { content: '', thinking: 'Let me ' } })
  })

  it('sends no logprobs before v0.12.11, and reasons inside content when think is unset before v0.12.4', async () => {
    const client = await clientFor({ models: ['qwen3:8b'], version: '0.11.4', chat: () => ({ content: 'yes' }) })
    const reply = await client.chat({ ...ask, model: 'qwen3:8b', logprobs: true })
    expect(reply.logprobs).toBeUndefined()
    expect(reply.message.content).toBe(`<think>${DEFAULT_THINKING}</think>yes`)
  })

  it('embeds only with an embedding model (500 as v0.12.11), has no /api/embed before v0.2.6, and reports capabilities', async () => {
    const client = await clientFor({})
    await expect(client.embed({ model: 'qwen3:0.6b', input: ['x'] })).rejects.toMatchObject({ status_code: 500, error: 'this model does not support embeddings\n' })
    expect((await client.show({ model: 'qwen3:0.6b' })).capabilities).toEqual(['completion', 'tools', 'thinking'])
    server!.setScript({ version: '0.2.5' })
    const old = await fetch(`${server!.url}/api/embed`, { method: 'POST', body: JSON.stringify({ model: 'nomic-embed-text', input: ['x'] }) })
    expect([old.status, await old.text()]).toEqual([404, '404 page not found'])
  })
})
