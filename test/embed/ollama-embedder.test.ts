import { afterEach, describe, expect, it, vi } from 'vitest'
import { createOllamaEmbedder } from '../../src/embed/ollama-embedder.js'
import { createGate, hashedBagOfWords, startOllamaServer, type OllamaTestServer } from '../helpers/ollama-server.js'

const MODEL = 'nomic-embed-text'
let server: OllamaTestServer | undefined

afterEach(async () => {
  vi.restoreAllMocks()
  await server?.close()
  server = undefined
})

function norm(v: Float32Array): number {
  return Math.sqrt(v.reduce((sum, x) => sum + x * x, 0))
}

function unit(values: number[]): number[] {
  const n = Math.sqrt(values.reduce((sum, x) => sum + x * x, 0))
  return values.map((x) => x / n)
}

function embedRequests(s: OllamaTestServer) {
  return s.requests.filter((r) => r.path === '/api/embed')
}

describe('createOllamaEmbedder', () => {
  it('discovers the dimensions with one probe embed and names the digest in the fingerprint', async () => {
    // Given a server with an 8-d embedding model of a known digest
    server = await startOllamaServer({
      models: [{ name: 'nomic-embed-text:latest', digest: 'sha256abc' }],
      embed: (texts) => texts.map(() => [3, 4, 0, 0, 0, 0, 0, 0]),
    })

    // When the embedder is created
    const embedder = await createOllamaEmbedder({ host: server.url, model: MODEL })

    // Then one embed request probed the size and the fingerprint carries name, digest and size
    expect(embedder.dimensions).toBe(8)
    expect(embedRequests(server)).toHaveLength(1)
    expect(embedRequests(server)[0].body).toMatchObject({ model: MODEL, input: ['dimension probe'] })
    expect(embedder.fingerprint).toBe('ollama:nomic-embed-text:latest@sha256abc:8')
    expect(embedder.digest).toBe('sha256abc')
  })

  it('gives a re-pulled model with new weights a new fingerprint', async () => {
    // Given an embedder made against one digest of the model
    server = await startOllamaServer({ models: [{ name: 'nomic-embed-text:latest', digest: 'old' }] })
    const before = await createOllamaEmbedder({ host: server.url, model: MODEL })

    // When the model is re-pulled with other weights and a new embedder is made
    server.setScript({ models: [{ name: 'nomic-embed-text:latest', digest: 'new' }] })
    const after = await createOllamaEmbedder({ host: server.url, model: MODEL })

    // Then the fingerprints differ
    expect(before.fingerprint).not.toBe(after.fingerprint)
    expect(after.fingerprint).toContain('@new:')
  })

  it('returns unit-length vectors in input order, batching 64 texts per request', async () => {
    // Given an embedder over the default hashed bag-of-words model (not unit length)
    server = await startOllamaServer()
    const embedder = await createOllamaEmbedder({ host: server.url, model: MODEL })
    const texts = Array.from({ length: 150 }, (_, i) => `question number ${i} about topic ${i % 7}`)

    // When 150 texts are embedded
    const vectors = await embedder.embed(texts)

    // Then three requests of 64, 64 and 22 texts went out after the probe
    const batches = embedRequests(server).slice(1).map((r) => (r.body as { input: string[] }).input.length)
    expect(batches).toEqual([64, 64, 22])
    // And each vector is the unit-length version of its own text's vector
    expect(vectors).toHaveLength(150)
    for (const [i, vector] of vectors.entries()) {
      expect(norm(vector)).toBeCloseTo(1, 5)
      expect(Array.from(vector)).toEqual(unit(hashedBagOfWords(texts[i])).map((x) => expect.closeTo(x, 5)))
    }
  })

  it('embeds nothing without a request', async () => {
    // Given an embedder
    server = await startOllamaServer()
    const embedder = await createOllamaEmbedder({ host: server.url, model: MODEL })

    // When no texts are embedded
    const vectors = await embedder.embed([])

    // Then no request beyond the probe went out
    expect(vectors).toEqual([])
    expect(embedRequests(server)).toHaveLength(1)
  })

  it('says how to start Ollama when nothing listens at the host', async () => {
    // Given a port that refuses connections (a server started and closed)
    const closed = await startOllamaServer()
    const host = closed.url
    await closed.close()

    // When an embedder is created against it
    const creating = createOllamaEmbedder({ host, model: MODEL })

    // Then the error names the host and says what to do
    await expect(creating).rejects.toMatchObject({ message: `Ollama is not reachable at ${host} (ECONNREFUSED).`, suggestions: expect.arrayContaining([expect.stringContaining('ollama serve')]) })
    await expect(createOllamaEmbedder({ host, model: MODEL })).rejects.toMatchObject({ code: 'EMBEDDER', exitCode: 6 })
  })

  it('rejects a response that is not JSON', async () => {
    // Given a server whose embed answers are cut-off JSON
    server = await startOllamaServer({ fail: (r) => (r.path === '/api/embed' ? { kind: 'malformed-json' } : undefined) })

    // When an embedder is created
    const creating = createOllamaEmbedder({ host: server.url, model: MODEL })

    // Then the error says the response was not JSON
    await expect(creating).rejects.toThrow(/returned a response that is not JSON/)
  })

  it('rejects vectors of the wrong size or count after the probe', async () => {
    // Given an embedder made against an 8-d model
    server = await startOllamaServer({ embed: (texts) => texts.map(() => [1, 0, 0, 0, 0, 0, 0, 0]) })
    const embedder = await createOllamaEmbedder({ host: server.url, model: MODEL })

    // When the server starts answering 4-d vectors, then one vector too few
    server.setScript({ embed: (texts) => texts.map(() => [1, 0, 0, 0]) })
    const wrongSize = embedder.embed(['a', 'b'])

    // Then both are refused with what was expected and received
    await expect(wrongSize).rejects.toThrow(/expected 2 vector\(s\) of 8 numbers, received vector 0 with 4 numbers/)
    server.setScript({ embed: () => [[1, 0, 0, 0, 0, 0, 0, 0]] })
    await expect(embedder.embed(['a', 'b'])).rejects.toThrow(/expected 2 vector\(s\) of 8 numbers, received 1 vector\(s\)/)
  })

  it('rejects zero and non-numeric vectors', async () => {
    // Given a server that answers a zero vector
    server = await startOllamaServer({ embed: (texts) => texts.map(() => [0, 0, 0]) })

    // When an embedder is created
    const creating = createOllamaEmbedder({ host: server.url, model: MODEL })

    // Then the zero vector is refused (it has no direction)
    await expect(creating).rejects.toThrow(/vector 0 all zeros/)
    server.setScript({ embed: (texts) => texts.map(() => [1, 'x', 2] as unknown as number[]) })
    await expect(createOllamaEmbedder({ host: server.url, model: MODEL })).rejects.toThrow(/vector 0 with non-numbers/)
  })

  it('times out a server that never answers and says how to wait longer', async () => {
    // Given a server that never answers
    server = await startOllamaServer({ fail: () => ({ kind: 'hang' }) })

    // When an embedder is created with a 200 ms timeout
    const creating = createOllamaEmbedder({ host: server.url, model: MODEL, timeoutMs: 200 })

    // Then it fails with the timeout and how to raise it
    await expect(creating).rejects.toMatchObject({ message: expect.stringMatching(/did not answer within 200 ms at/), suggestions: expect.arrayContaining([expect.stringMatching(/raise the embedder timeout/)]) })
  })

  it('times out an embed call after a healthy start', async () => {
    // Given a working embedder whose server then stops answering
    server = await startOllamaServer()
    const embedder = await createOllamaEmbedder({ host: server.url, model: MODEL, timeoutMs: 200 })
    server.setScript({ fail: () => ({ kind: 'hang' }) })

    // When it embeds
    const embedding = embedder.embed(['hello'])

    // Then the call times out as an EMBEDDER error
    await expect(embedding).rejects.toMatchObject({ code: 'EMBEDDER', message: expect.stringContaining('within 200 ms') })
  })

  it('passes the caller’s cancellation through unchanged', async () => {
    // Given an embedder whose next answer waits on a gate the test never opens
    server = await startOllamaServer()
    const embedder = await createOllamaEmbedder({ host: server.url, model: MODEL })
    const gate = createGate()
    server.setScript({ delay: () => gate.promise })
    const controller = new AbortController()
    const earlier = server.requests.length

    // When the caller aborts once the request has reached the server
    const embedding = embedder.embed(['hello'], controller.signal)
    await server.waitForRequests(earlier + 1)
    controller.abort()

    // Then the caller's abort reason comes back, not an embedder failure
    await expect(embedding).rejects.toMatchObject({ name: 'AbortError' })
    gate.open()
  })

  it('reports a dropped connection', async () => {
    // Given a server that drops every embed connection
    server = await startOllamaServer({ fail: (r) => (r.path === '/api/embed' ? { kind: 'destroy' } : undefined) })

    // When an embedder is created
    const creating = createOllamaEmbedder({ host: server.url, model: MODEL })

    // Then the error says the connection failed
    await expect(creating).rejects.toThrow(/The connection to Ollama at .* failed/)
  })

  it('turns a plain-text error body into a message without printing to stdout', async () => {
    // Given a server answering 500 with a plain-text body, and stdout watched
    server = await startOllamaServer({
      fail: (r) => (r.path === '/api/embed' ? { kind: 'status', status: 500, body: 'llama runner crashed' } : undefined),
    })
    const log = vi.spyOn(console, 'log')

    // When an embedder is created
    const creating = createOllamaEmbedder({ host: server.url, model: MODEL })

    // Then the message carries the status and body, and the client printed nothing
    await expect(creating).rejects.toThrow(/answered HTTP 500 for model nomic-embed-text: llama runner crashed/)
    expect(log).not.toHaveBeenCalled()
  })

  it('rejects a host that is not a URL', async () => {
    // Given a malformed host
    const host = 'http://[bad'

    // When an embedder is created
    const creating = createOllamaEmbedder({ host, model: MODEL })

    // Then the error says what a host looks like
    await expect(creating).rejects.toMatchObject({ message: expect.stringMatching(/is not a valid URL/), suggestions: expect.arrayContaining([expect.stringMatching(/pass a host like http:\/\/127\.0\.0\.1:11434/)]) })
  })
})
