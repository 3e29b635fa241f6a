import { describe, expect, it } from 'vitest'
import { SingleFlight } from '../../../src/core/cache/fetch-through.js'

describe('SingleFlight', () => {
  it('finds an in-flight call by key or by the equivalence test, and forgets it once settled', async () => {
    // Given one call in flight
    const flights = new SingleFlight<string, { query: string }>()
    let release!: (value: string) => void
    const first = flights.start('scope', 'k1', { query: 'who wrote hamlet' }, () => new Promise((r) => (release = r)))
    // When others look for it
    const byKey = flights.find('scope', 'k1')
    const byMeaning = flights.find('scope', 'k2', (meta) => meta.query.includes('hamlet'))
    const otherScope = flights.find('other', 'k1')
    // Then the same call is found in its scope only
    expect(byKey?.promise).toBe(first)
    expect(byMeaning?.promise).toBe(first)
    expect(otherScope).toBeUndefined()
    release('answer')
    await expect(first).resolves.toBe('answer')
    expect(flights.size).toBe(0)
  })

  it('forgets a failed call too', async () => {
    const flights = new SingleFlight<string, null>()
    await expect(flights.start('s', 'k', null, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(flights.find('s', 'k')).toBeUndefined()
  })
})
