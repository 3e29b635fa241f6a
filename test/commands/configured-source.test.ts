import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { errorText, useCliSandbox } from '../helpers/run-cli.js'
import { startJsonApiServer, type JsonApiServer } from '../sources/json-api-server.js'

let server: JsonApiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('the configured knowledge source', () => {
  const cli = useCliSandbox()

  it('answers asteria query, not only asteria run: a SearXNG named in the project config file', async () => {
    // Given a SearXNG instance on a loopback port, named in ./asteria.config.json
    server = await startJsonApiServer(() => ({ json: { results: [{ url: 'https://a.example/hamlet', title: 'Hamlet', content: 'Hamlet was written by Shakespeare.' }] } }))
    writeFileSync(join(cli.dir, 'asteria.config.json'), JSON.stringify({ source: 'searxng', searxngUrl: server.url }))
    // When a question is asked
    const out = await cli.json<{ source: string; result: { documents: { url: string }[] } }>(['query', 'who wrote hamlet'])
    // Then SearXNG answered it
    expect(out.source).toBe('remote')
    expect(out.result.documents.map((d) => d.url)).toEqual(['https://a.example/hamlet'])
    expect(server.requests.map((r) => r.url.searchParams.get('q'))).toEqual(['who wrote hamlet'])
  })

  it('is part of the scope: after a switch of source the previous source\'s answers are not served', async () => {
    // Given an answer fetched from the local corpus
    server = await startJsonApiServer(() => ({ json: { results: [{ url: 'https://a.example/decl', title: 'Declaration', content: 'Thomas Jefferson drafted it.' }] } }))
    const question = 'who wrote the declaration of independence'
    expect((await cli.json<{ source: string }>(['query', question])).source).toBe('remote')
    expect((await cli.json<{ source: string }>(['query', question])).source).toBe('cache')
    // When the project switches to SearXNG
    writeFileSync(join(cli.dir, 'asteria.config.json'), JSON.stringify({ source: 'searxng', searxngUrl: server.url }))
    const switched = await cli.json<{ source: string; result: { documents: { url: string }[] } }>(['query', question])
    // Then SearXNG answers, not the stored local passage, and its answer is stored under its own scope
    expect(switched.source).toBe('remote')
    expect(switched.result.documents.map((d) => d.url)).toEqual(['https://a.example/decl'])
    expect((await cli.json<{ source: string }>(['query', question])).source).toBe('cache')
    expect(server.requests).toHaveLength(1)
    const detail = await cli.run(['cache', 'inspect', '1'])
    expect(detail.stdout).toContain('source local')
    const listing = await cli.run(['cache', 'inspect'])
    expect(listing.stdout).toMatch(/SOURCE/)
    expect(listing.stdout).toMatch(/search\s+local /)
    expect(listing.stdout).toMatch(/search\s+searxng /)
    // And deleting by question removes the current source's answer only, naming the source once none is left
    expect((await cli.run(['cache', 'delete', '--query', question])).exitCode).toBe(0)
    const again = await cli.run(['cache', 'delete', '--query', question])
    expect(again.exitCode).toBe(4)
    expect(errorText(again.stderr)).toContain(`Nothing is stored for "${question}" (tool search, source searxng).`)
  })

  it('is checked by asteria doctor: a web source without its API key is an error with the fix', async () => {
    // Given Tavily configured in the environment, without TAVILY_API_KEY
    const run = await cli.run(['doctor', '--json'], { env: { ASTERIA_SOURCE: 'tavily', TAVILY_API_KEY: '' } })
    // Then the source check fails and says what to set
    const source = (JSON.parse(run.stdout) as { checks: { part: string; status: string; detail: string; fix?: string }[] }).checks.find((c) => c.part === 'source')
    expect(source).toMatchObject({ status: 'error', detail: expect.stringMatching(/TAVILY_API_KEY/) })
  })
})
