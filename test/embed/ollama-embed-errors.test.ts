import { afterEach, describe, expect, it } from 'vitest'
import { createOllamaEmbedder } from '../../src/embed/ollama-embedder.js'
import { startOllamaServer, type OllamaTestServer } from '../helpers/ollama-server.js'

const MODEL = 'nomic-embed-text'
let server: OllamaTestServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

const embedRequests = (s: OllamaTestServer) => s.requests.filter((r) => r.path === '/api/embed')

describe('createOllamaEmbedder: the wrong model or an old server', () => {
  it('says to pull a model the server does not have', async () => {
    // Given a server without the model
    server = await startOllamaServer({ models: ['qwen3:0.6b'] })

    // When an embedder is created for it
    const creating = createOllamaEmbedder({ host: server.url, model: MODEL })

    // Then the error says how to get it
    await expect(creating).rejects.toMatchObject({ message: expect.stringMatching(/has no model nomic-embed-text/), suggestions: expect.arrayContaining([expect.stringMatching(/`ollama pull nomic-embed-text`/)]) })
  })

  it('says when the model is not an embedding model', async () => {
    // Given a server whose only model is a chat model
    server = await startOllamaServer({ models: ['qwen3:0.6b'] })

    // When an embedder is created for the chat model
    const creating = createOllamaEmbedder({ host: server.url, model: 'qwen3:0.6b' })

    // Then the error says to use an embedding model
    await expect(creating).rejects.toMatchObject({ message: expect.stringMatching(/does not make embeddings/), suggestions: expect.arrayContaining([expect.stringMatching(/ollama pull nomic-embed-text/)]) })
  })

  it('refuses a chat model by its /api/show capabilities, even from a server that would embed with it', async () => {
    // Given a current server, which embeds with any model, and a chat model named as the embedder
    server = await startOllamaServer({ models: ['qwen3:0.6b'], embedsWithAnyModel: true })
    // When an embedder is created for it
    const creating = createOllamaEmbedder({ host: server.url, model: 'qwen3:0.6b' })
    // Then it is refused with what the model can do, and no embedding was asked for
    await expect(creating).rejects.toMatchObject({ code: 'EMBEDDER', message: expect.stringMatching(/does not make embeddings .*completion, tools, thinking/) })
    expect(embedRequests(server)).toHaveLength(0)
  })

  it('reads the refusal text where the server lists no capabilities (before Ollama 0.6.4)', async () => {
    server = await startOllamaServer({ models: ['qwen3:0.6b'], version: '0.6.2' })
    await expect(createOllamaEmbedder({ host: server.url, model: 'qwen3:0.6b' })).rejects.toMatchObject({ message: 'The Ollama model qwen3:0.6b does not make embeddings (this model does not support embeddings).' })
  })

  it('says to upgrade an Ollama too old for /api/embed, and to check the path when a current one answers 404', async () => {
    // Given Ollama 0.2.5, which has no /api/embed
    server = await startOllamaServer({ version: '0.2.5' })
    // When an embedder is created
    // Then the error names the version that added it and how to upgrade
    await expect(createOllamaEmbedder({ host: server.url, model: MODEL })).rejects.toMatchObject({
      message: 'Ollama 0.2.5 is older than 0.2.6: it has no /api/embed, which the Ollama embedder needs.',
      suggestions: [expect.stringContaining('upgrade Ollama'), 'use --embedder static'],
    })
    // And a current server that answers 404 for /api/embed (a proxy in between) is not called too old
    server.setScript({ version: undefined, fail: (r) => (r.path === '/api/embed' ? { kind: 'status', status: 404, body: '404 page not found' } : undefined) })
    await expect(createOllamaEmbedder({ host: server.url, model: MODEL })).rejects.toMatchObject({ message: expect.stringContaining('Ollama 0.12.11 at'), suggestions: [expect.stringContaining('OLLAMA_HOST')] })
  })
})
