import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { resolveConfig, type AsteriaConfig } from '../../src/config/config.js'
import { runDoctor, type DoctorCheck } from '../../src/doctor/run-doctor.js'
import { startOllamaServer, type OllamaScript, type OllamaTestServer } from '../helpers/ollama-server.js'
import { useTempDirs } from '../helpers/temp-dir.js'

const tempDir = useTempDirs()
let server: OllamaTestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** The doctor's checks by part, against an Ollama test server at OLLAMA_HOST. */
async function checksWith(script: OllamaScript, settings: Partial<AsteriaConfig>): Promise<Record<string, DoctorCheck>> {
  server = await startOllamaServer(script)
  const dir = tempDir()
  const env = { OLLAMA_HOST: server.url, XDG_DATA_HOME: dir, ASTERIA_CONFIG_DIR: dir }
  const report = await runDoctor(resolveConfig({ db: join(dir, 'cache.sqlite'), ...settings }, env, dir))
  return Object.fromEntries(report.checks.map((c) => [c.part, c]))
}

describe('runDoctor with Ollama', () => {
  it('says which features a server is too old for, and what each costs', async () => {
    // Given Ollama 0.11.4 with the judge model (logprobs came in 0.12.11)
    const checks = await checksWith({ version: '0.11.4', models: ['qwen3:0.6b'] }, { judge: 'ollama' })
    // Then the judge and the server both say the judge falls back to JSON verdicts, and how to upgrade
    const why = 'Ollama 0.11.4 is older than 0.12.11: the judge falls back to JSON verdicts (slower, less calibrated)'
    expect(checks.judge).toMatchObject({ status: 'warn', detail: expect.stringContaining(why), fix: expect.stringContaining('upgrade Ollama') })
    expect(checks.ollama).toMatchObject({ status: 'warn', detail: expect.stringContaining(why), fix: expect.stringContaining('https://ollama.com/download') })
  })

  it('finds nothing missing on a current server, nor on a source build (version 0.0.0)', async () => {
    expect((await checksWith({ models: ['qwen3:0.6b'] }, { judge: 'ollama' })).judge.status).toBe('ok')
    await server!.close()
    expect((await checksWith({ version: '0.0.0', models: ['qwen3:0.6b'] }, { judge: 'ollama' })).ollama.status).toBe('ok')
  })

  it('refuses a chat model as the embedder by its /api/show capabilities, and an Ollama without /api/embed', async () => {
    const chat = await checksWith({ models: ['qwen3:0.6b'], embedsWithAnyModel: true }, { embedder: 'ollama', embedderModel: 'qwen3:0.6b' })
    expect(chat.embedder).toMatchObject({ status: 'error', detail: expect.stringContaining('not an embedding model (it can do: completion, tools, thinking)'), fix: expect.stringContaining('nomic-embed-text') })
    await server!.close()
    const old = await checksWith({ version: '0.2.5' }, { embedder: 'ollama' })
    expect(old.embedder).toMatchObject({ status: 'error', detail: expect.stringContaining('Ollama 0.2.5 is older than 0.2.6'), fix: expect.stringContaining('upgrade Ollama') })
  })

  it('does not ask Ollama about the offline learned judge', async () => {
    const checks = await checksWith({ models: [] }, { judge: 'learned' })
    expect(checks.judge).toMatchObject({ status: 'embedded', detail: expect.stringMatching(/^learned/) })
  })
})
