import { afterEach, describe, expect, it } from 'vitest'
import { createOpenAiEmbedder } from '../../src/embed/openai-embedder.js'
import { createGate, hashedBagOfWords } from '../helpers/ollama-server.js'
import { startOpenAiServer, type OpenAiTestServer } from '../helpers/openai-server.js'

const MODEL = 'text-embedding-nomic-embed-text-v1.5'
const KEY = 'sk-test-4f9c2e7a1b'
let server: OpenAiTestServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

function unit(values: number[]): number[] {
  const n = Math.sqrt(values.reduce((sum, x) => sum + x * x, 0))
  return values.map((x) => x / n)
}

function embeddingRequests(s: OpenAiTestServer) {
  return s.requests.filter((r) => r.path === '/v1/embeddings')
}

/** The message, suggestions and JSON form of a rejection, for checks that the key is absent. */
async function everythingSaidBy(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(Error)
  return `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack}`
}

describe('createOpenAiEmbedder', () => {
  it('probes the dimensions and fingerprints host, model and size', async () => {
    // Given an OpenAI-compatible server with an 8-d model
    server = await startOpenAiServer({ embed: (texts) => texts.map(() => [1, 2, 2, 0, 0, 0, 0, 0]) })

    // When the embedder is created
    const embedder = await createOpenAiEmbedder({ baseUrl: server.url, model: MODEL })

    // Then one request probed the size, and the fingerprint names the host, model and size
    const host = new URL(server.url).host
    expect(embedder.dimensions).toBe(8)
    expect(embeddingRequests(server)).toHaveLength(1)
    expect(embeddingRequests(server)[0].body).toEqual({ model: MODEL, input: ['dimension probe'] })
    expect(embedder.fingerprint).toBe(`openai:${host}/${MODEL}:8`)
  })

  it('sends the key as a bearer token', async () => {
    // Given a server that requires a key
    server = await startOpenAiServer({ apiKey: KEY })

    // When an embedder with the key is created
    await createOpenAiEmbedder({ baseUrl: server.url, model: MODEL, apiKey: KEY })

    // Then the key went in the Authorization header
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${KEY}`)
  })

  it('sends no Authorization header without a key', async () => {
    // Given a server that needs no key
    server = await startOpenAiServer()

    // When an embedder without a key is created
    await createOpenAiEmbedder({ baseUrl: server.url, model: MODEL })

    // Then no Authorization header was sent
    expect(server.requests[0].headers.authorization).toBeUndefined()
  })

  it('adds /v1 to a bare origin', async () => {
    // Given a server, addressed by its origin only
    server = await startOpenAiServer()
    const origin = new URL(server.url).origin

    // When an embedder is created from the origin
    await createOpenAiEmbedder({ baseUrl: origin, model: MODEL })

    // Then the request went to /v1/embeddings
    expect(server.requests[0].path).toBe('/v1/embeddings')
  })

  it('returns unit vectors in input order even when data comes back out of order, 64 per request', async () => {
    // Given a server that lists data last index first
    server = await startOpenAiServer({ reverseOrder: true })
    const embedder = await createOpenAiEmbedder({ baseUrl: server.url, model: MODEL })
    const texts = Array.from({ length: 70 }, (_, i) => `how do I sort array ${i} in place`)

    // When 70 texts are embedded
    const vectors = await embedder.embed(texts)

    // Then two requests of 64 and 6 went out after the probe, and vector i belongs to text i
    expect(embeddingRequests(server).slice(1).map((r) => (r.body as { input: string[] }).input.length)).toEqual([64, 6])
    for (const [i, vector] of vectors.entries()) {
      expect(Array.from(vector)).toEqual(unit(hashedBagOfWords(texts[i])).map((x) => expect.closeTo(x, 5)))
    }
  })

  it('never shows the key when the server rejects it, even when the server quotes it', async () => {
    // Given a server that wants another key and quotes the one it got in its error
    server = await startOpenAiServer({ apiKey: 'sk-the-right-one' })

    // When an embedder is created with the wrong key
    const said = await everythingSaidBy(createOpenAiEmbedder({ baseUrl: server.url, model: MODEL, apiKey: KEY }))

    // Then the error says the key was refused and what to check, without the key
    expect(said).toContain('answered HTTP 401')
    expect(said).toContain('check the API key in OPENAI_API_KEY or ASTERIA_OPENAI_API_KEY')
    expect(said).toContain('[redacted]')
    expect(said).not.toContain(KEY)
  })

  it('never shows the key in a garbage or failing response that echoes it', async () => {
    // Given a server that echoes the Authorization header as a non-JSON 200 body, then as a 500
    server = await startOpenAiServer({
      fail: (r) => ({ kind: 'status', status: 200, body: `echo ${String(r.headers.authorization)}`, contentType: 'text/plain' }),
    })

    // When embedders are created with the key
    const notJson = await everythingSaidBy(createOpenAiEmbedder({ baseUrl: server.url, model: MODEL, apiKey: KEY }))
    server.setScript({ fail: () => ({ kind: 'status', status: 500, body: { error: { message: `bad key ${KEY}` } } }) })
    const serverError = await everythingSaidBy(createOpenAiEmbedder({ baseUrl: server.url, model: MODEL, apiKey: KEY }))

    // Then neither error carries the key
    expect(notJson).toContain('not JSON')
    expect(serverError).toContain('answered HTTP 500')
    expect(`${notJson} ${serverError}`).not.toContain(KEY)
  })

  it('says when nothing listens at the base URL', async () => {
    // Given a port that refuses connections
    const closed = await startOpenAiServer()
    const baseUrl = closed.url
    await closed.close()

    // When an embedder is created against it
    const creating = createOpenAiEmbedder({ baseUrl, model: MODEL, apiKey: KEY })

    // Then the error names the URL and what to do
    await expect(creating).rejects.toMatchObject({ message: expect.stringContaining(`The embeddings server is not reachable at ${baseUrl} (ECONNREFUSED).`), suggestions: expect.arrayContaining([expect.stringContaining(`start the server`)]) })
  })

  it('says to check the model name for an unknown model', async () => {
    // Given a server without the model
    server = await startOpenAiServer({ models: ['other-model'] })

    // When an embedder is created for it
    const creating = createOpenAiEmbedder({ baseUrl: server.url, model: MODEL })

    // Then the error quotes the server and says where the models are listed
    await expect(creating).rejects.toMatchObject({ message: expect.stringMatching(/HTTP 404 .*does not exist/), suggestions: expect.arrayContaining([expect.stringMatching(/check the model name \(GET .*\/v1\/models lists them\)/)]) })
  })

  it('says to check the base URL when the endpoint does not exist', async () => {
    // Given a server addressed under a wrong path
    server = await startOpenAiServer()

    // When an embedder is created with that path
    const creating = createOpenAiEmbedder({ baseUrl: `${server.url}/api`, model: MODEL })

    // Then the error points at the base URL
    await expect(creating).rejects.toMatchObject({ suggestions: expect.arrayContaining([expect.stringMatching(/check the base URL: .*\/v1\/api\/embeddings does not exist/)]) })
  })

  it('rejects vectors of the wrong size, count or indexes', async () => {
    // Given an embedder made against an 8-d model
    server = await startOpenAiServer({ embed: (texts) => texts.map(() => [1, 0, 0, 0, 0, 0, 0, 0]) })
    const embedder = await createOpenAiEmbedder({ baseUrl: server.url, model: MODEL })

    // When the server answers 4-d vectors, then one vector too few
    server.setScript({ embed: (texts) => texts.map(() => [1, 0, 0, 0]) })
    const wrongSize = embedder.embed(['a', 'b'])

    // Then both are refused with what was expected and what came
    await expect(wrongSize).rejects.toThrow(/expected 2 embedding\(s\) of 8 numbers with indexes 0\.\.1, received embedding 0 with 4 numbers/)
    server.setScript({ embed: () => [[1, 0, 0, 0, 0, 0, 0, 0]] })
    await expect(embedder.embed(['a', 'b'])).rejects.toThrow(/received 1 embedding\(s\)/)
    const twiceIndexZero = [0, 0].map((index) => ({ embedding: [1, 0, 0, 0, 0, 0, 0, 0], index }))
    server.setScript({ fail: () => ({ kind: 'status', status: 200, body: { data: twiceIndexZero } }) })
    await expect(embedder.embed(['a', 'b'])).rejects.toThrow(/received indexes 0,0/)
  })

  it('rejects base64 embeddings', async () => {
    // Given a server that answers base64 strings instead of number arrays
    server = await startOpenAiServer({ embed: (texts) => texts.map(() => 'AAAAPw==' as unknown as number[]) })

    // When an embedder is created
    const creating = createOpenAiEmbedder({ baseUrl: server.url, model: MODEL })

    // Then the answer is refused
    await expect(creating).rejects.toThrow(/embedding 0 empty or not a number array/)
  })

  it('times out a server that never answers', async () => {
    // Given a server that never answers
    server = await startOpenAiServer({ fail: () => ({ kind: 'hang' }) })

    // When an embedder is created with a 200 ms timeout
    const creating = createOpenAiEmbedder({ baseUrl: server.url, model: MODEL, timeoutMs: 200 })

    // Then it fails with the timeout and how to raise it
    await expect(creating).rejects.toMatchObject({ message: expect.stringMatching(/did not answer within 200 ms/), suggestions: expect.arrayContaining([expect.stringMatching(/raise the embedder timeout/)]) })
  })

  it('passes the caller’s cancellation through unchanged', async () => {
    // Given an embedder whose next answer waits on a gate the test never opens
    server = await startOpenAiServer()
    const embedder = await createOpenAiEmbedder({ baseUrl: server.url, model: MODEL })
    const gate = createGate()
    server.setScript({ delay: () => gate.promise })
    const controller = new AbortController()
    const earlier = server.requests.length

    // When the caller aborts once the request has reached the server
    const embedding = embedder.embed(['hello'], controller.signal)
    await server.waitForRequests(earlier + 1)
    controller.abort()

    // Then the caller's abort reason comes back
    await expect(embedding).rejects.toMatchObject({ name: 'AbortError' })
    gate.open()
  })

  it('reports a dropped connection', async () => {
    // Given a server that drops every connection
    server = await startOpenAiServer({ fail: () => ({ kind: 'destroy' }) })

    // When an embedder is created
    const creating = createOpenAiEmbedder({ baseUrl: server.url, model: MODEL })

    // Then the error says the connection failed
    await expect(creating).rejects.toMatchObject({ code: 'EMBEDDER', message: expect.stringMatching(/connection to the embeddings server .* failed/) })
  })
})
