import { describe, expect, it } from 'vitest'
import { OLLAMA_FEATURES, lacks, outdatedFeatures } from '../../src/ollama/server-features.js'

describe('lacks', () => {
  it('compares release numbers part by part, pre-releases as their release', () => {
    expect(lacks('0.12.10', OLLAMA_FEATURES.logprobs)).toBe(true)
    expect(lacks('0.9.9', OLLAMA_FEATURES.logprobs)).toBe(true)
    expect(['0.12.11', 'v0.12.11', '0.13.0-rc1', '1.0.0'].map((v) => lacks(v, OLLAMA_FEATURES.logprobs))).toEqual([false, false, false, false])
  })

  it('does not call a source build (0.0.0), an unknown or an unreadable version too old', () => {
    expect([lacks('0.0.0', OLLAMA_FEATURES.embed), lacks(undefined, OLLAMA_FEATURES.embed), lacks('dev', OLLAMA_FEATURES.embed)]).toEqual([false, false, false])
  })
})

describe('outdatedFeatures', () => {
  it('lists each feature a version lacks with what it costs', () => {
    expect(outdatedFeatures('0.8.0')).toEqual([
      'Ollama 0.8.0 is older than 0.9.0: thinking models cannot be told not to reason, so the agent and the judge are slower',
      'Ollama 0.8.0 is older than 0.12.11: the judge falls back to JSON verdicts (slower, less calibrated)',
    ])
    expect(outdatedFeatures('0.12.11')).toEqual([])
  })
})
