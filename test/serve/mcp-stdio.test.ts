import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { describe, expect, it } from 'vitest'
import { openStore } from '../../src/store/sqlite/sqlite-store.js'
import { CLI_BIN, useCliSandbox } from '../helpers/run-cli.js'
import { AUTHOR, AUTHOR_PARAPHRASE } from './service-fixture.js'

const text = (result: CallToolResult) => (result.content[0] as { text: string }).text

describe('asteria mcp (stdio)', () => {
  const cli = useCliSandbox()

  it('serves the SDK client: tools listed, a paraphrased second search hits, search_docs has its own scope', async () => {
    // Given `asteria mcp` started by the SDK's stdio client, in an isolated cache
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI_BIN, 'mcp'], env: cli.env(), cwd: cli.dir, stderr: 'pipe' })
    let stderr = ''
    transport.stderr?.on('data', (chunk) => (stderr += String(chunk)))
    const client = new Client({ name: 'asteria-test', version: '1.0.0' })
    const protocolErrors: Error[] = []
    client.onerror = (error) => protocolErrors.push(error)
    await client.connect(transport)

    // When it lists the tools, searches a question and a paraphrase, asks the docs, and reads the stats
    const { tools } = await client.listTools()
    const first = (await client.callTool({ name: 'search', arguments: { query: AUTHOR } })) as CallToolResult
    const second = (await client.callTool({ name: 'search', arguments: { query: AUTHOR_PARAPHRASE } })) as CallToolResult
    const docs = (await client.callTool({ name: 'search_docs', arguments: { query: AUTHOR, library: 'us-history' } })) as CallToolResult
    const stats = (await client.callTool({ name: 'cache_stats', arguments: {} })) as CallToolResult
    await client.close()

    // Then the three tools are there; the paraphrase is a hit with its saving, in structured content and text
    expect(tools.map((t) => t.name).sort()).toEqual(['cache_stats', 'search', 'search_docs'])
    expect(first.structuredContent).toMatchObject({ hit: false, source: 'remote' })
    expect(text(first)).toMatch(/^Cache MISS: fetched from the source/)
    expect(second.structuredContent).toMatchObject({ hit: true, source: 'cache', saved: { costUsd: 0.005 } })
    expect(text(second)).toMatch(/^Cache HIT \(semantic\).*saved .* and \$0\.0050\./)
    // search_docs never sees search's element: a miss, answered by the docs corpus (docsSource) and stored in its own scope
    expect(first.structuredContent).toMatchObject({ element: { tool: 'search', source: 'local' } })
    expect(docs.structuredContent).toMatchObject({ hit: false, element: { tool: 'search_docs', args: { library: 'us-history' }, source: 'docs' } })
    expect(stats.structuredContent).toMatchObject({ namespace: 'default', requests: 3, hits: { semantic: 1 }, misses: 2 })
    // stdout carried MCP messages only; the banner went to stderr
    expect(protocolErrors).toEqual([])
    expect(stderr).toContain('Asteria MCP server on stdio')
  })

  it('answers a bad query as a tool error the agent can read', async () => {
    // Given `asteria mcp` started by the SDK's stdio client
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI_BIN, 'mcp'], env: cli.env(), cwd: cli.dir, stderr: 'pipe' })
    const client = new Client({ name: 'asteria-test', version: '1.0.0' })
    await client.connect(transport)

    // When search gets a whitespace-only query, and an oversized one
    const blank = (await client.callTool({ name: 'search', arguments: { query: '   ' } })) as CallToolResult
    const huge = (await client.callTool({ name: 'search', arguments: { query: 'x'.repeat(9000) } })) as CallToolResult
    await client.close()

    // Then both are tool errors saying what was expected
    expect(blank.isError).toBe(true)
    expect(text(blank)).toContain('Expected a non-empty query')
    expect(huge.isError).toBe(true)
    expect(text(huge)).toContain('Expected a query of at most 8192 bytes, received 9000 bytes.')
  })

  it('writes only JSON-RPC to stdout and exits 0 when stdin ends, keeping what it stored', async () => {
    // Given `asteria mcp` spawned by hand, sent an initialisation and one search
    const child = spawn(process.execPath, [CLI_BIN, 'mcp'], { cwd: cli.dir, env: { PATH: process.env.PATH ?? '', ...cli.env() }, stdio: ['pipe', 'pipe', 'pipe'] })
    const exit = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (code, signal) => resolve([code, signal])))
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
    const send = (message: object) => child.stdin.write(JSON.stringify({ jsonrpc: '2.0', ...message }) + '\n')
    send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } })
    const initialized = JSON.parse((await lines.next()).value)
    send({ method: 'notifications/initialized' })
    send({ id: 2, method: 'tools/call', params: { name: 'search', arguments: { query: AUTHOR } } })

    // When stdin ends right after the call was sent (the client went away)
    child.stdin.end()
    const rest: string[] = []
    for (let line = await lines.next(); !line.done; line = await lines.next()) rest.push(line.value)
    const [code, signal] = await exit

    // Then stdout held exactly the two answers, the call was finished first, the exit was clean, and the element is kept
    expect(initialized).toMatchObject({ id: 1, result: { serverInfo: { name: 'asteria' } } })
    expect(rest.map((line) => JSON.parse(line))).toEqual([expect.objectContaining({ id: 2, result: expect.objectContaining({ structuredContent: expect.objectContaining({ hit: false }) }) })])
    expect([code, signal]).toEqual([0, null])
    const store = openStore(cli.db)
    const elements = await store.all()
    await store.close()
    expect(elements.map((e) => e.query)).toEqual([AUTHOR])
  })
})
