/**
 * A scriptable loopback server that speaks the OpenAI embeddings API as LM Studio, vLLM and
 * llama.cpp serve it. Test fixture only: never a runtime fallback.
 *
 * - `POST /v1/embeddings` `{ model, input: string | string[] }` →
 *   `{ object: 'list', data: [{ object: 'embedding', embedding, index }], model, usage }`.
 *   `reverseOrder` returns `data` last index first (the API does not promise order).
 * - `GET /v1/models` → `{ object: 'list', data: [{ id, object: 'model' }] }`.
 * - With `apiKey` set, a request without `Authorization: Bearer <apiKey>` gets 401 with a message
 *   that quotes the key it received — worse than OpenAI (which masks it), so redaction is tested.
 * - An unknown model gets 404 `{ error: { message, type, code: 'model_not_found' } }`; an unknown
 *   path gets 404 `{ error: { message } }`.
 * `delay` and `fail` work as in the Ollama server (test/helpers/loopback-server.ts); every request,
 * headers included, is recorded.
 */
import { sendJson, startLoopbackServer, type LoopbackScript, type RecordedRequest } from './loopback-server.js'
import { hashedBagOfWords } from './ollama-server.js'

export interface OpenAiScript extends LoopbackScript {
  models?: string[]
  apiKey?: string
  embed?: (texts: string[], model: string) => number[][] | Promise<number[][]>
  reverseOrder?: boolean
}

export interface OpenAiTestServer {
  /** The API root, ending in /v1. */
  url: string
  requests: RecordedRequest[]
  /** Merges into the current script; set a key to undefined to restore its default. */
  setScript(patch: OpenAiScript): void
  waitForRequests(count: number): Promise<void>
  close(): Promise<void>
}

export const DEFAULT_OPENAI_MODELS = ['text-embedding-nomic-embed-text-v1.5']

export async function startOpenAiServer(initial: OpenAiScript = {}): Promise<OpenAiTestServer> {
  let script: OpenAiScript = { ...initial }
  const server = await startLoopbackServer({
    script: () => script,
    route: async (request, res) => {
      const models = script.models ?? DEFAULT_OPENAI_MODELS
      const authorization = request.headers.authorization
      if (script.apiKey !== undefined && authorization !== `Bearer ${script.apiKey}`) {
        const message = `Incorrect API key provided: ${authorization ?? '(none)'}`
        return sendJson(res, 401, { error: { message, type: 'invalid_request_error', code: 'invalid_api_key' } })
      }
      const route = `${request.method} ${request.path}`
      if (route === 'GET /v1/models') {
        return sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model' })) })
      }
      if (route !== 'POST /v1/embeddings') return sendJson(res, 404, { error: { message: `Unexpected endpoint ${route}` } })

      const body = (request.body ?? {}) as { model?: unknown; input?: unknown }
      const model = String(body.model ?? '')
      if (!models.includes(model)) {
        const message = `The model \`${model}\` does not exist or you do not have access to it.`
        return sendJson(res, 404, { error: { message, type: 'invalid_request_error', code: 'model_not_found' } })
      }
      const texts = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? '')]
      const vectors = script.embed ? await script.embed(texts, model) : texts.map((t) => hashedBagOfWords(t))
      const data = vectors.map((embedding, index) => ({ object: 'embedding', embedding, index }))
      sendJson(res, 200, {
        object: 'list',
        data: script.reverseOrder ? data.reverse() : data,
        model,
        usage: { prompt_tokens: texts.length, total_tokens: texts.length },
      })
    },
  })
  return {
    url: `${server.url}/v1`,
    requests: server.requests,
    waitForRequests: server.waitForRequests,
    close: server.close,
    setScript: (patch) => (script = { ...script, ...patch }),
  }
}
