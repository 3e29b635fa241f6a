import { describe, expect, it } from 'vitest'
import type { KnowledgeSource, SourceCall } from '../../src/core/ports/knowledge-source.js'
import { SimulatedRegion, realSleep, type Sleep } from '../../src/sources/simulated-region.js'

/** A source that answers at once, and counts its calls. */
function instantSource(): KnowledgeSource & { calls: string[] } {
  const calls: string[] = []
  return {
    name: 'inner',
    pricePerCallUsd: 0,
    calls,
    async search(query: string): Promise<SourceCall> {
      calls.push(query)
      return { result: { documents: [{ id: 'd1', text: `about ${query}` }] }, latencyMs: 0, costUsd: 0 }
    },
  }
}

/** A sleep that records what it was asked to wait and returns at once. */
function recordingSleep(): Sleep & { waits: number[] } {
  const waits: number[] = []
  const sleep = async (ms: number) => {
    waits.push(ms)
  }
  return Object.assign(sleep, { waits })
}

describe('SimulatedRegion', () => {
  it('waits a seeded uniform delay within the configured bounds and reports it as latency', async () => {
    // Given a region with a 300–500 ms range, a seed, and a sleep that does not really wait
    const sleep = recordingSleep()
    const region = new SimulatedRegion(instantSource(), { latency: { minMs: 300, maxMs: 500 }, seed: 42, sleep })
    // When it is called many times
    const calls = []
    for (let i = 0; i < 50; i++) calls.push(await region.search(`q${i}`, {}))
    // Then every delay lies in the range, spreads across it, and the latency includes it
    expect(sleep.waits).toHaveLength(50)
    for (const [i, ms] of sleep.waits.entries()) {
      expect(ms).toBeGreaterThanOrEqual(300)
      expect(ms).toBeLessThanOrEqual(500)
      expect(calls[i].latencyMs).toBeGreaterThanOrEqual(ms)
    }
    expect(Math.max(...sleep.waits) - Math.min(...sleep.waits)).toBeGreaterThan(100)
  })

  it('draws the same delays for the same seed and different ones for another seed', async () => {
    const draws = async (seed: number) => {
      const sleep = recordingSleep()
      const region = new SimulatedRegion(instantSource(), { seed, sleep })
      for (let i = 0; i < 5; i++) await region.search('q', {})
      return sleep.waits
    }
    expect(await draws(7)).toEqual(await draws(7))
    expect(await draws(7)).not.toEqual(await draws(8))
  })

  it('records the price per call as the cost and passes the result through', async () => {
    // Given a region over a free source with the default price
    const inner = instantSource()
    const region = new SimulatedRegion(inner, { sleep: recordingSleep() })
    // When it is called
    const call = await region.search('tea', { k: 1 })
    // Then the call costs $0.005 and carries the inner documents
    expect(region.name).toBe('inner@simulated-region')
    expect(region.pricePerCallUsd).toBe(0.005)
    expect(call.costUsd).toBe(0.005)
    expect(call.result.documents).toEqual([{ id: 'd1', text: 'about tea' }])
    expect(inner.calls).toEqual(['tea'])
  })

  it('does not sleep at all when the latency is 0', async () => {
    const sleep = recordingSleep()
    const region = new SimulatedRegion(instantSource(), { latency: 0, priceUsd: 0.01, sleep })
    const call = await region.search('tea', {})
    expect(sleep.waits).toEqual([])
    expect(call.costUsd).toBe(0.01)
  })

  it('rejects with the abort reason when aborted during the simulated delay', async () => {
    // Given a region whose sleep waits until its signal aborts
    let sleeping!: () => void
    const asleep = new Promise<void>((resolve) => (sleeping = resolve))
    const sleep: Sleep = (_ms, signal) =>
      new Promise((_resolve, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason))
        sleeping()
      })
    const region = new SimulatedRegion(instantSource(), { sleep })
    const controller = new AbortController()
    // When a call is aborted while it sleeps
    const pending = region.search('tea', {}, controller.signal)
    await asleep
    controller.abort(new Error('caller gave up'))
    // Then the call rejects with the caller's reason
    await expect(pending).rejects.toThrow('caller gave up')
  })

  it('does not call the inner source when the signal is already aborted', async () => {
    const inner = instantSource()
    const region = new SimulatedRegion(inner, { sleep: recordingSleep() })
    await expect(region.search('tea', {}, AbortSignal.abort(new Error('too late')))).rejects.toThrow('too late')
    expect(inner.calls).toEqual([])
  })

  it('rejects an impossible latency or price with a CONFIG error', () => {
    expect(() => new SimulatedRegion(instantSource(), { latency: { minMs: 500, maxMs: 300 } })).toThrow(
      expect.objectContaining({ code: 'CONFIG' }),
    )
    expect(() => new SimulatedRegion(instantSource(), { latency: -1 })).toThrow(expect.objectContaining({ code: 'CONFIG' }))
    expect(() => new SimulatedRegion(instantSource(), { priceUsd: Number.NaN })).toThrow(expect.objectContaining({ code: 'CONFIG' }))
  })
})

describe('realSleep', () => {
  it('stops waiting as soon as its signal aborts', async () => {
    // Given a long real sleep
    const controller = new AbortController()
    const pending = realSleep(60_000, controller.signal)
    // When the signal aborts
    controller.abort(new Error('stop'))
    // Then the sleep rejects at once with the reason
    await expect(pending).rejects.toThrow('stop')
  })

  it('rejects at once for an already-aborted signal', async () => {
    await expect(realSleep(60_000, AbortSignal.abort(new Error('stopped')))).rejects.toThrow('stopped')
  })
})
