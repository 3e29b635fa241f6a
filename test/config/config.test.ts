import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveConfig } from '../../src/config/config.js'
import type { AsteriaError } from '../../src/core/errors.js'
import { useTempDirs } from '../helpers/temp-dir.js'

const tempDir = useTempDirs()

describe('resolveConfig', () => {
  it('applies defaults, user file, project file, environment and flags in that order', () => {
    // Given a user config, a project config and an environment variable
    const home = tempDir()
    const project = tempDir()
    mkdirSync(join(home, 'cfg'), { recursive: true })
    writeFileSync(join(home, 'cfg', 'config.json'), JSON.stringify({ namespace: 'user', k: 4, judge: 'none' }))
    writeFileSync(join(project, 'asteria.config.json'), JSON.stringify({ namespace: 'project', k: 5 }))
    const env = { ASTERIA_CONFIG_DIR: join(home, 'cfg'), XDG_DATA_HOME: join(home, 'data'), ASTERIA_NAMESPACE: 'env' }
    // When a flag is typed for one setting
    const { config, origins, files } = resolveConfig({ judge: 'guard' }, env, project)
    // Then each setting comes from the highest source that sets it
    expect(config).toMatchObject({ namespace: 'env', k: 5, judge: 'guard', db: join(home, 'data', 'asteria', 'cache.sqlite') })
    expect(origins).toMatchObject({ namespace: 'environment', k: 'project config', judge: 'flag', db: 'default' })
    expect(files).toHaveLength(2)
  })

  it('parses environment strings into numbers and latency ranges', () => {
    const { config } = resolveConfig({}, { ASTERIA_CONFIG_DIR: tempDir(), ASTERIA_TAU_SIM: '0.7', ASTERIA_LATENCY_MS: '100-200' }, tempDir())
    expect(config.tauSim).toBe(0.7)
    expect(config.latencyMs).toEqual([100, 200])
  })

  it('names the file and the key for an unknown setting or a bad value', () => {
    const project = tempDir()
    writeFileSync(join(project, 'asteria.config.json'), JSON.stringify({ namspace: 'typo' }))
    expect(() => resolveConfig({}, { ASTERIA_CONFIG_DIR: tempDir() }, project)).toThrow(/Unknown setting "namspace" in .*asteria.config.json/)
    expect(() => resolveConfig({}, { ASTERIA_CONFIG_DIR: tempDir(), ASTERIA_JUDGE: 'oracle' }, tempDir())).toThrow(
      /Expected judge in the environment \(ASTERIA_JUDGE\) to be one of auto, ollama, learned, guard, none, received "oracle"\./,
    )
    writeFileSync(join(project, 'asteria.config.json'), '{ not json')
    expect(() => resolveConfig({}, { ASTERIA_CONFIG_DIR: tempDir() }, project)).toThrow(/is not valid JSON/)
  })

  it('suggests the setting a typo meant, and says how to fix a bad value; a bad flag value is bad input', () => {
    const project = tempDir()
    writeFileSync(join(project, 'asteria.config.json'), JSON.stringify({ agentMaxStep: 3 }))
    const typo = (() => {
      try {
        resolveConfig({}, { ASTERIA_CONFIG_DIR: tempDir() }, project)
      } catch (error) {
        return error as AsteriaError
      }
    })()
    expect(typo?.suggestions).toEqual(['Did you mean "agentMaxSteps"?'])
    const badEnv = (() => {
      try {
        resolveConfig({}, { ASTERIA_CONFIG_DIR: tempDir(), ASTERIA_TAU_SIM: '5' }, tempDir())
      } catch (error) {
        return error as AsteriaError
      }
    })()
    expect(badEnv).toMatchObject({ code: 'CONFIG', suggestions: ['Fix or unset ASTERIA_TAU_SIM to use the default: see "Configuration" in the README.'] })
    expect(() => resolveConfig({ tauSim: 5 }, { ASTERIA_CONFIG_DIR: tempDir() }, tempDir())).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
  })
})
