/** What `asteria serve` prints on stderr once it listens: where each door is, and how to stop it. */
export function serviceBanner(info: { url: string; namespace: string; tokens: number }): string {
  const access = info.tokens === 0 ? `namespace "${info.namespace}", no tokens (this machine only)` : `${info.tokens} bearer token${info.tokens === 1 ? '' : 's'}, each confined to its namespace`
  return [
    `Asteria is listening on ${info.url} (${access})`,
    `  JSON API   ${info.url}/v1/fetch, /v1/lookup, /v1/store, /v1/stats, /v1/elements, /v1/sessions`,
    `  SearXNG    ${info.url}/search?q=...&format=json`,
    `  MCP        ${info.url}/mcp  (streamable HTTP)`,
    'Ctrl+C stops it after answering the requests in flight (press it twice to stop at once).',
  ].join('\n')
}

/** Printed on SIGINT/SIGTERM. */
export function serviceStopping(inflight: number): string {
  if (inflight === 0) return 'Stopping: closing the cache.'
  return `Stopping: finishing ${inflight} request${inflight === 1 ? '' : 's'} in flight, then closing the cache.`
}
