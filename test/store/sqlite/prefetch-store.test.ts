import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { stateKey, type PrefetchTarget } from '../../../src/core/prefetch.js'
import { SqliteTransitionStore } from '../../../src/store/sqlite/prefetch-store.js'
import { openStore } from '../../../src/store/sqlite/sqlite-store.js'
import { useTempDirs } from '../../helpers/temp-dir.js'

const tempDir = useTempDirs()

function target(query: string, costUsd = 0.005): PrefetchTarget {
  return { key: stateKey('scope', query), namespace: 'default', tool: 'search', args: { region: 'eu' }, scopeKey: 'scope', query, normalizedQuery: query, costUsd }
}

describe('SqliteTransitionStore', () => {
  it('counts transitions and gives P(next | current), most likely first', async () => {
    // Given A followed by B three times and by C once
    const store = openStore(join(tempDir(), 'cache.sqlite'))
    const transitions = new SqliteTransitionStore(store.db)
    const [a, b, c] = [target('a'), target('b'), target('c')]
    await transitions.observe(null, a, 0)
    for (const next of [b, c, b, b]) await transitions.observe(a.key, next, 1)
    // When A's successors are read
    const { total, successors } = await transitions.successors(a.key, 5)
    // Then there were 4 transitions out of A: B with 3/4, C with 1/4, each with what it takes to fetch it again
    expect(total).toBe(4)
    expect(successors.map((s) => [s.target.query, s.count, s.probability])).toEqual([['b', 3, 0.75], ['c', 1, 0.25]])
    expect(successors[0].target).toEqual(b)
    expect(await transitions.successors(b.key, 5)).toEqual({ total: 0, successors: [] })
  })

  it('keeps the model across a restart', async () => {
    // Given transitions written to a cache file that is then closed
    const path = join(tempDir(), 'cache.sqlite')
    const first = openStore(path)
    const [a, b] = [target('a'), target('b')]
    await new SqliteTransitionStore(first.db).observe(a.key, b, 0)
    await new SqliteTransitionStore(first.db).observe(null, a, 0)
    await first.close()
    // When the file is opened again
    const reopened = openStore(path)
    // Then the counts are still there
    const { total, successors } = await new SqliteTransitionStore(reopened.db).successors(a.key, 5)
    expect(total).toBe(1)
    expect(successors[0]).toMatchObject({ count: 1, probability: 1, target: { query: 'b', args: { region: 'eu' } } })
    await reopened.close()
  })

  it('keeps the latest query text and price of a state', async () => {
    const store = openStore(join(tempDir(), 'cache.sqlite'))
    const transitions = new SqliteTransitionStore(store.db)
    await transitions.observe(null, target('a'), 0)
    await transitions.observe(null, target('b', 0.005), 0)
    await transitions.observe(target('a').key, { ...target('b', 0.02), query: 'B?' }, 1)
    const { successors } = await transitions.successors(target('a').key, 1)
    expect(successors[0].target).toMatchObject({ query: 'B?', costUsd: 0.02 })
  })
})
