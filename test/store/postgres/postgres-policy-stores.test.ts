import { describe, expect, it } from 'vitest'
import { stateKey, type PrefetchTarget } from '../../../src/core/prefetch.js'
import { PostgresCalibrationStore, PostgresTransitionStore } from '../../../src/store/postgres/postgres-policy-stores.js'
import { usePostgres } from '../../helpers/use-postgres.js'
import { element, EMBEDDER, vec } from './cache-store-contract.js'
import { startProxy, type CuttableProxy } from './tcp-proxy.js'

let proxy: CuttableProxy
const postgres = usePostgres({ onStart: async (server) => (proxy = await startProxy(server.url)) })
const SIM = { embedder: 'e', policy: 'guard', axis: 'sim' } as const

const tiered = (url: string) => postgres.tiered(url, { timeoutMs: 1000 }, { connectTimeoutMs: 1000 })

function target(query: string, costUsd = 0.005): PrefetchTarget {
  return { key: stateKey('scope', query), namespace: 'default', tool: 'search', args: { region: 'eu' }, scopeKey: 'scope', query, normalizedQuery: query, costUsd }
}

describe('PostgresTransitionStore', () => {
  it('counts transitions and gives P(next | current), most likely first, with the latest text and price of a state', async () => {
    // Given A followed by B three times and by C once, B last seen as "B?" at a new price
    const transitions = new PostgresTransitionStore(postgres.shared().db)
    const [a, b, c] = [target('a'), target('b'), target('c')]
    await transitions.observe(null, a, 0)
    for (const next of [b, c, b]) await transitions.observe(a.key, next, 1)
    await transitions.observe(a.key, { ...target('b', 0.02), query: 'B?' }, 2)
    // When A's successors are read
    const { total, successors } = await transitions.successors(a.key, 5)
    // Then there were 4 transitions out of A: B with 3/4, C with 1/4
    expect(total).toBe(4)
    expect(successors.map((s) => [s.target.query, s.count, s.probability])).toEqual([['B?', 3, 0.75], ['c', 1, 0.25]])
    expect(successors[0].target).toEqual({ ...b, query: 'B?', costUsd: 0.02 })
    expect(await transitions.successors(b.key, 5)).toEqual({ total: 0, successors: [] })
  })
})

describe('PostgresCalibrationStore', () => {
  it('counts verified and wrong hits per band, apart per embedder, policy and axis', async () => {
    const calibration = new PostgresCalibrationStore(postgres.shared().db)
    await calibration.addOutcome(SIM, 15, false)
    await calibration.addOutcome(SIM, 15, true)
    await calibration.addOutcome(SIM, 17, false)
    await calibration.addOutcome({ ...SIM, axis: 'judge' }, 15, true)
    expect(await calibration.bands(SIM)).toEqual([{ band: 15, verified: 2, wrong: 1 }, { band: 17, verified: 1, wrong: 0 }])
    expect(await calibration.bands({ ...SIM, axis: 'judge' })).toEqual([{ band: 15, verified: 1, wrong: 1 }])
  })

  it('puts new thresholds in force for every machine and keeps their history, newest first', async () => {
    const url = postgres.freshUrl()
    const calibration = new PostgresCalibrationStore(postgres.shared(url).db)
    await calibration.changeThresholds('e', 'guard', { tauSim: 0.8, tauJudge: 0, action: 'raise', status: 'below target', reason: 'r1', changedAt: 10 })
    await calibration.changeThresholds('e', 'guard', { tauSim: 0.85, tauJudge: 0, action: 'raise', status: 'below target', reason: 'r2', changedAt: 20 })
    expect(await postgres.shared(url).getThresholds('e', 'guard')).toEqual({ tauSim: 0.85, tauJudge: 0, updatedAt: 20 })
    expect((await calibration.history('e', 'guard')).map((h) => [h.tauSim, h.reason, h.changedAt])).toEqual([[0.85, 'r2', 20], [0.8, 'r1', 10]])
  })

  it("remembers an element's latest hit scores until the element is deleted", async () => {
    const store = postgres.shared()
    await store.registerEmbedder(EMBEDDER)
    const [stored] = await store.insert([{ element: element('q', 's'), embedding: vec(1, 0, 0) }])
    const calibration = new PostgresCalibrationStore(store.db)
    await calibration.rememberHit(stored.id, { similarity: 0.7, judgeScore: null }, 1)
    await calibration.rememberHit(stored.id, { similarity: 0.82, judgeScore: 0.9 }, 2)
    expect(await calibration.hitScores(stored.id)).toEqual({ similarity: 0.82, judgeScore: 0.9 })
    await store.delete([stored.id])
    expect(await calibration.hitScores(stored.id)).toBeUndefined()
  })
})

describe('TieredStore.policyStores', () => {
  it('shares the prefetch model and calibration between machines, and keeps learning locally while the shared tier is down', async () => {
    // Given two machines on one shared tier
    const url = postgres.freshUrl()
    const a = tiered(proxy.via(url)).policyStores()
    const b = tiered(url).policyStores()
    const [x, y] = [target('x'), target('y')]
    // When one machine learns a transition and a calibration outcome
    await a.transitions.observe(x.key, y, 1)
    await a.calibration.addOutcome(SIM, 15, true)
    // Then the other machine sees both
    expect((await b.transitions.successors(x.key, 5)).total).toBe(1)
    expect(await b.calibration.bands(SIM)).toEqual([{ band: 15, verified: 1, wrong: 1 }])
    // And while its shared tier is down, the first machine keeps counting in its own file
    proxy.cut()
    await a.transitions.observe(y.key, x, 2)
    expect((await a.transitions.successors(y.key, 5)).total).toBe(1)
    expect((await b.transitions.successors(y.key, 5)).total).toBe(0)
  })
})
