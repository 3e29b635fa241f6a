import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { afterEach, describe, expect, it } from 'vitest'
import { AUTHOR, AUTHOR_PARAPHRASE, call, useService } from './service-fixture.js'

const TOKEN = 'mcp-client-token-0123456789abcdef'

describe('POST /mcp (streamable HTTP)', () => {
  const start = useService()
  const clients: Client[] = []
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close()
  })

  const connect = async (url: string, token?: string) => {
    const client = new Client({ name: 'asteria-test', version: '1.0.0' })
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {}
    await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers } }))
    clients.push(client)
    return client
  }

  it('lists the tools and serves a paraphrased second search as a hit, with the saving', async () => {
    // Given a service with a token, and the SDK's client connected with it
    const { url } = await start({ tokens: { [TOKEN]: 'agents' } })
    const client = await connect(url, TOKEN)

    // When the tools are listed and search is called with a question, then a paraphrase
    const { tools } = await client.listTools()
    const first = (await client.callTool({ name: 'search', arguments: { query: AUTHOR } })) as CallToolResult
    const second = (await client.callTool({ name: 'search', arguments: { query: AUTHOR_PARAPHRASE } })) as CallToolResult

    // Then the three tools are offered with output schemas, the first call misses and the second hits
    expect(tools.map((t) => t.name).sort()).toEqual(['cache_stats', 'search', 'search_docs'])
    expect(tools.every((t) => t.outputSchema?.type === 'object')).toBe(true)
    expect(first.structuredContent).toMatchObject({ hit: false, source: 'remote', costUsd: 0.005, saved: { latencyMs: 0, costUsd: 0 } })
    expect(second.isError).toBeFalsy()
    expect(second.structuredContent).toMatchObject({ query: AUTHOR_PARAPHRASE, hit: true, source: 'cache', saved: { costUsd: 0.005 } })
    expect(second.structuredContent?.element).toMatchObject({ namespace: 'agents', tool: 'search', query: AUTHOR })
    const text = (second.content[0] as { text: string }).text
    expect(text).toMatch(/^Cache HIT \(semantic\): answered from "who wrote the declaration of independence" \(similarity 0\.\d{3}\); saved [\d.]+ m?s and \$0\.0050\./)
    expect(text).toContain('[1] ')
  })

  it("works in the token's namespace: the JSON API of that token sees the same element", async () => {
    // Given a token whose agent searched over MCP
    const { url } = await start({ tokens: { [TOKEN]: 'agents' } })
    const client = await connect(url, TOKEN)
    await client.callTool({ name: 'search', arguments: { query: AUTHOR } })

    // When the JSON API is asked with the same token, and cache_stats is called
    const fetched = await call(url, 'POST', '/v1/fetch', { token: TOKEN, json: { query: AUTHOR_PARAPHRASE } })
    const stats = (await client.callTool({ name: 'cache_stats', arguments: {} })) as CallToolResult

    // Then the JSON API hits the element the MCP search stored, and the stats count both
    expect(fetched.body).toMatchObject({ hit: true, element: { namespace: 'agents' } })
    expect(stats.structuredContent).toMatchObject({ namespace: 'agents', requests: 2, hitRate: 0.5, costSavedUsd: 0.005 })
    expect((stats.content[0] as { text: string }).text).toContain('hit rate 50.0%')
  })

  it('refuses an MCP client without the token', async () => {
    // Given a service with tokens
    const { url } = await start({ tokens: { [TOKEN]: 'agents' } })

    // When the SDK's client connects without a token
    const connecting = connect(url)

    // Then the connection fails with 401
    await expect(connecting).rejects.toThrow(/401|Unauthorized/i)
  })

  it('answers GET /mcp with 405: the endpoint is stateless', async () => {
    // Given a service
    const { url } = await start()

    // When a client asks for a server-sent event stream
    const answer = await call(url, 'GET', '/mcp')

    // Then it is refused with a structured 405
    expect(answer.status).toBe(405)
    expect(answer.body.error.code).toBe('METHOD_NOT_ALLOWED')
  })
})
