import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { startOllamaServer, type ChatReply, type OllamaTestServer } from '../helpers/ollama-server.js'

const BENCH = fileURLToPath(new URL('../../scripts/bench-ollama.ts', import.meta.url))
let server: OllamaTestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const yes: ChatReply = { content: 'yes', logprobs: [{ token: 'yes', logprob: Math.log(0.8), top_logprobs: [{ token: 'yes', logprob: Math.log(0.8) }, { token: 'no', logprob: Math.log(0.2) }] }] }

describe('npm run bench:ollama', () => {
  it("prints each judge model's mode (logprobs or JSON, and why) and its latency per verdict", async () => {
    // Given a server with qwen3 (thinking can be turned off) and GPT-OSS (it cannot)
    server = await startOllamaServer({
      models: ['qwen3:0.6b', 'gpt-oss:20b'],
      chat: (request) => (request.format ? { content: '{"answers": true, "confidence": 0.6}' } : request.logprobs ? yes : { content: 'Rhine, Danube, Seine' }),
    })
    // When the bench runs on both, as a user runs it
    const env = { ...process.env, OLLAMA_HOST: server.url, NO_COLOR: '1' }
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', BENCH, '--model', 'qwen3:0.6b,gpt-oss:20b', '--pairs', '4'], { env, timeout: 60_000 })
    // Then each model's mode is named with its reason, and every latency is per verdict
    expect(stdout).toMatch(/^ {2}qwen3:0\.6b: logprobs \(P\(yes\) from the first answer token's logprobs\); first call \d+ ms$/m)
    expect(stdout).toMatch(/^ {2}gpt-oss:20b: JSON \(the model reasons before it answers .*\); first call \d+ ms$/m)
    expect(stdout.match(/^ {4}as it runs {5}median \d+ ms, p95 \d+ ms per verdict; ROC-AUC/gm)).toHaveLength(2)
    expect(stdout).toMatch(/^ {2}batched, 1 request +median \d+ ms, p95 \d+ ms per verdict$/m)
  })
})
