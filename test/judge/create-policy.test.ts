import { afterEach, describe, expect, it } from 'vitest'
import { createPolicy, resolveJudge, type JudgeSettings } from '../../src/judge/create-policy.js'
import { guardPolicy, thresholdOnlyPolicy } from '../../src/core/ports/hit-policy.js'
import { startOllamaServer, type OllamaTestServer } from '../helpers/ollama-server.js'

let server: OllamaTestServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

const settings = (host: string, kind: JudgeSettings['kind']): JudgeSettings => ({ kind, host, model: 'qwen3:0.6b', timeoutMs: 2000, concurrency: 1, deadlineFraction: 1 })

async function closedHost(): Promise<string> {
  const closed = await startOllamaServer()
  await closed.close()
  return closed.url
}

describe('resolveJudge', () => {
  it('uses the offline policies as they are, without asking any server', async () => {
    expect(await resolveJudge(settings('http://127.0.0.1:9', 'guard'))).toEqual({ policy: guardPolicy, requested: 'guard' })
    expect(await resolveJudge(settings('http://127.0.0.1:9', 'none'))).toEqual({ policy: thresholdOnlyPolicy, requested: 'none' })
  })

  it('auto: takes the Ollama judge when the server has the model, guard first, and says so', async () => {
    server = await startOllamaServer({ models: ['qwen3:0.6b'] })
    const choice = await resolveJudge(settings(server.url, 'auto'))
    expect(choice.policy).toMatchObject({ name: 'ollama', useGuard: true, judge: { name: 'ollama qwen3:0.6b' } })
    expect(choice.notice).toBe(`judge auto: using ollama qwen3:0.6b at ${server.url}`)
    expect(choice.scheduler).toBeDefined()
    expect(choice.policy.scheduling).toMatchObject({ deadline: { timeoutMs: 2000, fraction: 1 }, maxCandidates: 3, scheduler: choice.scheduler })
  })

  it('auto: falls back to the guard when Ollama is down or lacks the model, with the command that fixes it', async () => {
    const down = await resolveJudge(settings(await closedHost(), 'auto'))
    expect(down.policy).toBe(guardPolicy)
    expect(down.notice).toMatch(/^judge auto: Ollama is not reachable at .* \(ECONNREFUSED\); using the guard \(run `ollama serve` to use the model judge\)$/)
    server = await startOllamaServer({ models: ['nomic-embed-text:latest'] })
    const noModel = await resolveJudge(settings(server.url, 'auto'))
    expect(noModel.policy).toBe(guardPolicy)
    expect(noModel.notice).toContain('run `ollama pull qwen3:0.6b`')
  })

  it('says when the server is too old for logprobs, as auto and as ollama', async () => {
    // Given Ollama 0.11.4 with the judge model
    server = await startOllamaServer({ models: ['qwen3:0.6b'], version: '0.11.4' })
    // When the judge is chosen either way
    const [auto, ollama] = await Promise.all([resolveJudge(settings(server.url, 'auto')), resolveJudge(settings(server.url, 'ollama'))])
    // Then the notice names the version and what it costs
    const old = 'Ollama 0.11.4 is older than 0.12.11: the judge falls back to JSON verdicts (slower, less calibrated)'
    expect(auto.notice).toBe(`judge auto: using ollama qwen3:0.6b at ${server.url}; ${old}`)
    expect(ollama.notice).toBe(`judge: ${old}`)
  })

  it('ollama: refuses to start without the server or the model (exit code 8)', async () => {
    server = await startOllamaServer({ models: ['nomic-embed-text:latest'] })
    await expect(resolveJudge(settings(server.url, 'ollama'))).rejects.toMatchObject({
      code: 'JUDGE',
      exitCode: 8,
      message: `The Ollama judge is not available: Ollama at ${server.url} has no model qwen3:0.6b.`,
      suggestions: ['run `ollama pull qwen3:0.6b`', 'or pass --judge guard to judge offline'],
    })
  })

  it('ollama: scores staticity with the judge model, and with the rules when the model fails', async () => {
    // Given a server whose model rates every question 2
    server = await startOllamaServer({ chat: (request) => ({ content: request.format ? '{"staticity": 2}' : 'yes' }) })
    const { staticityScorer } = await resolveJudge(settings(server.url, 'ollama'))
    expect(await staticityScorer!('who wrote hamlet', 'search')).toBe(2)
    // When the model answers out of range, the rule-based score is used (historical question: 9)
    server.setScript({ chat: () => ({ content: '{"staticity": 42}' }) })
    expect(await staticityScorer!('who wrote hamlet', 'search')).toBe(9)
    const last = server.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as { format: unknown; think: unknown; messages: Array<{ content: string }> }
    expect(last).toMatchObject({ think: false, format: { required: ['staticity'] } })
    expect(last.messages[1].content).toContain('<question>who wrote hamlet</question>')
  })
})

describe('createPolicy', () => {
  it('names the kinds it knows when given an unknown one', () => {
    expect(createPolicy('guard')).toBe(guardPolicy)
    expect(() => createPolicy('oracle')).toThrow(/Unknown offline judge "oracle"/)
  })
})
