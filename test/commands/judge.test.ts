import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { JudgeEvalResult } from '../../src/scoring/pair-eval.js'
import type { fetchJson } from '../../src/report/fetch-json.js'
import { startOllamaServer, type ChatReply, type ChatRequestBody, type OllamaTestServer } from '../helpers/ollama-server.js'
import { errorText, useCliSandbox } from '../helpers/run-cli.js'

const EXAMPLE = resolve(fileURLToPath(new URL('../../fixtures/pairs/example.jsonl', import.meta.url)))
let server: OllamaTestServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

/** A model that says yes when both questions name the same first capitalised word, no otherwise. */
function pairJudge(request: ChatRequestBody): ChatReply {
  const text = request.messages?.find((m) => m.role === 'user')?.content ?? ''
  const names = [...text.matchAll(/<(?:new|stored)_question>\s*\S*?\s*([A-Z]\w+)/g)].map((m) => m[1])
  const pYes = names.length === 2 && names[0] === names[1] ? 0.9 : 0.1
  const answer = pYes > 0.5 ? 'yes' : 'no'
  return { content: answer, logprobs: [{ token: answer, logprob: -0.1, top_logprobs: [{ token: 'yes', logprob: Math.log(pYes) }, { token: 'no', logprob: Math.log(1 - pYes) }] }] }
}

describe('asteria judge eval', () => {
  const cli = useCliSandbox()

  it('measures the offline default on the shipped example pairs (--json)', async () => {
    // When the example file is evaluated with the built-in embedder and the guard
    const out = await cli.json<JudgeEvalResult>(['judge', 'eval', '--pairs', EXAMPLE])
    // Then the report carries every figure, in its public shape
    expect(Object.keys(out).sort()).toEqual(
      ['confusion', 'embedder', 'f1', 'falsePositiveRate', 'file', 'guardReasons', 'guardRejections', 'judge', 'judgeErrors', 'judgeSkipped', 'latencyMs', 'negatives', 'pairs', 'policy', 'positives', 'precision', 'recall', 'rocAuc', 'split', 'thresholds'].sort(),
    )
    expect(out).toMatchObject({ file: EXAMPLE, split: 'all', pairs: 60, positives: 30, negatives: 30, policy: 'guard', judge: null, judgeErrors: 0 })
    const { truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn } = out.confusion
    expect(tp + fp + tn + fn).toBe(60)
    expect(out.precision).toBeCloseTo(tp / (tp + fp), 10)
    expect(out.recall).toBeCloseTo(tp / 30, 10)
    expect(out.falsePositiveRate).toBeCloseTo(fp / 30, 10)
    expect(out.rocAuc).toMatchObject({ similarity: expect.any(Number), acceptance: expect.any(Number), judge: null, judgedPairs: 0 })
    expect(out.latencyMs.total).toMatchObject({ mean: expect.any(Number), p50: expect.any(Number), p95: expect.any(Number), max: expect.any(Number) })
    expect(out.guardRejections).toBeGreaterThan(0)
  })

  it('sweeps tau_sim on the train half and recommends a threshold for the target precision', async () => {
    const out = await cli.json<JudgeEvalResult>(['judge', 'eval', '--pairs', EXAMPLE, '--split', 'train', '--sweep', '--target-precision', '0.9'])
    expect(out.split).toBe('train')
    expect(out.pairs).toBe(60) // the example comes from train halves only
    expect(out.sweep).toMatchObject({ axis: 'tauSim', targetPrecision: 0.9 })
    expect(out.sweep!.recommended!.precision).toBeGreaterThanOrEqual(0.9)
    const human = await cli.run(['judge', 'eval', '--pairs', EXAMPLE, '--sweep'])
    expect(human.exitCode).toBe(0)
    expect(human.stdout).toMatch(/precision\s+\d\.\d{3}/)
    expect(human.stdout).toContain('Sweep of tau_sim')
    expect(human.stdout).toMatch(/Recommended tau_sim|No tau_sim reaches precision/)
  })

  it('names the bad line of a malformed pairs file (exit code 9) and a missing file (exit code 2)', async () => {
    const bad = join(cli.dir, 'bad.jsonl')
    writeFileSync(bad, '{"a":"x","b":"y","equivalent":true}\n{"a":"x","b":"y"}\n')
    const run = await cli.run(['judge', 'eval', '--pairs', bad])
    expect(run.exitCode).toBe(9)
    expect(errorText(run.stderr)).toContain('line 2: expected "equivalent" to be true or false, received nothing')
    const missing = await cli.run(['judge', 'eval', '--pairs', join(cli.dir, 'absent.jsonl')])
    expect(missing.exitCode).toBe(2)
    expect(errorText(missing.stderr)).toContain('Cannot read the pairs file')
    expect((await cli.run(['judge', 'eval', '--pairs', EXAMPLE, '--target-precision', '2'])).exitCode).toBe(2)
  })

  it('evaluates the Ollama judge against a server at OLLAMA_HOST', async () => {
    // Given an Ollama-protocol server with the judge model
    server = await startOllamaServer({ chat: pairJudge })
    // When ten pairs are judged by it at a low tau_sim so that the judge sees them
    const out = await cli.json<JudgeEvalResult>(['judge', 'eval', '--pairs', EXAMPLE, '--judge', 'ollama', '--limit', '10', '--tau-sim', '0.3'], {
      env: { OLLAMA_HOST: server.url },
    })
    // Then the report names the judge and its scores
    expect(out).toMatchObject({ pairs: 10, policy: 'ollama', judge: 'ollama qwen3:0.6b', judgeErrors: 0 })
    expect(out.rocAuc.judgedPairs).toBeGreaterThan(0)
    expect(out.latencyMs.judge.p50).toBeGreaterThan(0)
    const chats = server.requests.filter((r) => r.path === '/api/chat')
    expect(chats).toHaveLength(out.rocAuc.judgedPairs)
    expect(chats[0].body).toMatchObject({ model: 'qwen3:0.6b', logprobs: true, think: false })
  })

  it('sweeps the Ollama judge over Ollama embeddings for a 95% precision target (the README command for QQP)', async () => {
    // Given an Ollama-protocol server that embeds and judges
    server = await startOllamaServer({ chat: pairJudge })
    // When the README's measurement runs with both providers on Ollama
    const out = await cli.json<JudgeEvalResult>(
      ['judge', 'eval', '--pairs', EXAMPLE, '--embedder', 'ollama', '--judge', 'ollama', '--sweep', '--target-precision', '0.95', '--limit', '12'],
      { env: { OLLAMA_HOST: server.url } },
    )
    // Then both providers were called and the sweep reports against the 95% target
    expect(out).toMatchObject({ pairs: 12, policy: 'ollama', judgeErrors: 0 })
    expect(server.requests.some((r) => r.path === '/api/embed')).toBe(true)
    expect(server.requests.filter((r) => r.path === '/api/chat')).toHaveLength(out.rocAuc.judgedPairs)
    expect(out.sweep).toMatchObject({ axis: 'tauJudge', targetPrecision: 0.95 })
  })

  it('stops with the fix when --judge ollama finds no server (exit code 8), and auto falls back to the guard saying so', async () => {
    const run = await cli.run(['judge', 'eval', '--pairs', EXAMPLE, '--judge', 'ollama'])
    expect(run.exitCode).toBe(8)
    expect(errorText(run.stderr)).toMatch(/The Ollama judge is not available: Ollama is not reachable at http:\/\/127\.0\.0\.1:9/)
    expect(errorText(run.stderr)).toContain('ollama serve')
    const auto = await cli.run(['judge', 'eval', '--pairs', EXAMPLE, '--judge', 'auto', '--json'])
    expect(auto.exitCode).toBe(0)
    expect(auto.stderr).toMatch(/judge auto: Ollama is not reachable .* using the guard/)
    expect(JSON.parse(auto.stdout)).toMatchObject({ policy: 'guard', notice: expect.stringContaining('judge auto') })
  })
})

describe('asteria query --judge ollama', () => {
  const cli = useCliSandbox()

  it('shows the judge verdict in the decision record', async () => {
    // Given a stored answer and a model that answers yes
    server = await startOllamaServer({
      chat: () => ({ content: 'yes', logprobs: [{ token: 'yes', logprob: -0.05, top_logprobs: [{ token: 'yes', logprob: Math.log(0.95) }, { token: 'no', logprob: Math.log(0.05) }] }] }),
    })
    const env = { OLLAMA_HOST: server.url }
    // The judge may take 100x the source's recorded latency: a loaded machine never makes it late.
    writeFileSync(join(cli.dir, 'asteria.config.json'), JSON.stringify({ judgeDeadlineFraction: 100 }))
    await cli.json(['query', 'who wrote the declaration of independence', '--judge', 'ollama'], { env })
    // When a paraphrase is asked
    const out = await cli.json<ReturnType<typeof fetchJson>>(['query', 'who was the author of the declaration of independence', '--judge', 'ollama'], { env })
    // Then the hit passed the guard and the judge, and the record shows both
    expect(out.decision).toMatchObject({ hit: true, policy: 'ollama', guard: { pass: true }, judge: { name: 'ollama qwen3:0.6b', verdict: 'yes', score: expect.closeTo(0.95, 6), reason: 'P(yes) 0.950 from the first token' } })
    const human = await cli.run(['query', 'who was the author of the declaration of independence', '--judge', 'ollama'], { env })
    expect(human.stdout).toContain('judge ollama qwen3:0.6b: yes (0.95)  P(yes) 0.950 from the first token')
  })
})
