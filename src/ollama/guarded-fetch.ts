/**
 * The fetch every Ollama client of ours uses. The official client has no timeout and no abort
 * signal on most calls, so each call gets a fresh client whose fetch carries both. And on an error
 * body that is not JSON the client console.logs to stdout (which would corrupt --json output), so
 * error bodies are re-served as `{ error }` JSON, which it parses silently.
 */
export function guardedFetch(baseFetch: typeof fetch, timeoutMs: number, caller?: AbortSignal): typeof fetch {
  return async (input, init) => {
    const signals = [AbortSignal.timeout(timeoutMs), caller, init?.signal].filter((s): s is AbortSignal => s != null)
    const response = await baseFetch(input, { ...init, signal: AbortSignal.any(signals) })
    return response.ok ? response : withJsonErrorBody(response)
  }
}

async function withJsonErrorBody(response: Response): Promise<Response> {
  const text = await response.text()
  let message = text.trim()
  try {
    const error = (JSON.parse(text) as { error?: unknown })?.error as { message?: unknown } | string | undefined
    if (typeof error === 'string') message = error
    else if (typeof error?.message === 'string') message = error.message
  } catch {
    // not JSON: the text itself is the message
  }
  return new Response(JSON.stringify({ error: message.slice(0, 500) || `HTTP ${response.status}` }), {
    status: response.status,
    statusText: response.statusText,
    headers: { 'content-type': 'application/json' },
  })
}

/** Error codes that mean "nothing is listening there" rather than "it answered badly". */
export const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'])
