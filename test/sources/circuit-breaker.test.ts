import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/core/clock.js'
import { CircuitBreakerSource } from '../../src/sources/circuit-breaker.js'
import type { KnowledgeSource } from '../../src/core/ports/knowledge-source.js'

function flakySource() {
  const state = { up: false, calls: 0 }
  const source: KnowledgeSource = {
    name: 'flaky',
    pricePerCallUsd: 0.001,
    async search() {
      state.calls++
      if (!state.up) throw new Error('503 from flaky')
      return { result: { documents: [{ id: '1', text: 'ok' }] }, latencyMs: 1, costUsd: 0.001 }
    },
  }
  return { source, state }
}

describe('CircuitBreakerSource', () => {
  it('fails fast after consecutive failures, lets one trial through after the cooldown, and closes on success', async () => {
    // Given a source that is down, behind a breaker opening after 3 failures for 10 s
    const clock = new ManualClock(0)
    const { source, state } = flakySource()
    const breaker = new CircuitBreakerSource(source, { failures: 3, cooldownMs: 10_000, clock })
    // When it fails three times
    for (let i = 0; i < 3; i++) await expect(breaker.search('q', {})).rejects.toThrow('503 from flaky')
    // Then further calls fail at once without reaching the source
    await expect(breaker.search('q', {})).rejects.toThrow(/failed 3 times in a row; not calling it for another 10 s/)
    expect(state.calls).toBe(3)
    expect(breaker.state).toBe('open')
    // When the cooldown has passed and the source is back, the trial call goes through and closes the circuit
    clock.advance(10_000)
    state.up = true
    await expect(breaker.search('q', {})).resolves.toMatchObject({ costUsd: 0.001 })
    expect(breaker.state).toBe('closed')
    expect(state.calls).toBe(4)
  })

  it('re-opens at once when the trial call fails', async () => {
    const clock = new ManualClock(0)
    const { source, state } = flakySource()
    const breaker = new CircuitBreakerSource(source, { failures: 2, cooldownMs: 1000, clock })
    for (let i = 0; i < 2; i++) await expect(breaker.search('q', {})).rejects.toThrow()
    clock.advance(1000)
    await expect(breaker.search('q', {})).rejects.toThrow('503 from flaky')
    await expect(breaker.search('q', {})).rejects.toThrow(/not calling it/)
    expect(state.calls).toBe(3)
  })
})
