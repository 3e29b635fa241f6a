import { afterEach, describe, expect, it } from 'vitest'
import { resolveAgent } from '../../src/agents/resolve-agent.js'
import { AsteriaError } from '../../src/core/errors.js'
import { startOllamaServer, type OllamaTestServer } from '../helpers/ollama-server.js'

let server: OllamaTestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const NOWHERE = 'http://127.0.0.1:9'

describe('resolveAgent', () => {
  it('auto: uses the model agent when Ollama has the model', async () => {
    server = await startOllamaServer({ models: ['qwen3:8b'] })
    const { agent, note } = await resolveAgent({ requested: 'auto', host: server.url, model: 'qwen3:8b', maxSteps: 3 })
    expect(agent.name).toBe('ollama:qwen3:8b')
    expect(note).toBeUndefined()
  })

  it('auto: falls back to replay and says why, with the command that fixes it', async () => {
    server = await startOllamaServer({ models: ['nomic-embed-text:latest'] })
    const missingModel = await resolveAgent({ requested: 'auto', host: server.url, model: 'qwen3:8b', maxSteps: 3 })
    expect(missingModel.agent.name).toBe('replay')
    expect(missingModel.note).toBe(`Ollama at ${server.url} has no model qwen3:8b; run \`ollama pull qwen3:8b\` for a model agent.`)
    const unreachable = await resolveAgent({ requested: 'auto', host: NOWHERE, model: 'qwen3:8b', maxSteps: 3 })
    expect(unreachable.agent.name).toBe('replay')
    expect(unreachable.note).toMatch(/^Ollama is not reachable at http:\/\/127\.0\.0\.1:9 .*; run `ollama serve` for a model agent\.$/)
  })

  it('ollama: refuses to run without the model, suggesting replay', async () => {
    const error = await resolveAgent({ requested: 'ollama', host: NOWHERE, model: 'qwen3:8b', maxSteps: 3 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AsteriaError)
    expect((error as AsteriaError).message).toMatch(/^Ollama is not reachable at http:\/\/127\.0\.0\.1:9 .*, so the agent cannot run\.$/)
    expect((error as AsteriaError).suggestions).toEqual(['Run `ollama serve` and `ollama pull qwen3:8b`.', 'Or replay the recorded plans: --agent replay.'])
  })

  it('replay: never probes Ollama', async () => {
    let probed = false
    const { agent } = await resolveAgent({
      requested: 'replay', host: NOWHERE, model: 'qwen3:8b', maxSteps: 3,
      probe: async () => {
        probed = true
        return { reachable: false, host: NOWHERE, models: [] }
      },
    })
    expect(agent.name).toBe('replay')
    expect(probed).toBe(false)
  })
})
