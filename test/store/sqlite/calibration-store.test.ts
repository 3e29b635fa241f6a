import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { NewElement } from '../../../src/core/ports/cache-store.js'
import { SqliteCalibrationStore } from '../../../src/store/sqlite/calibration-store.js'
import { openStore } from '../../../src/store/sqlite/sqlite-store.js'
import { useTempDirs } from '../../helpers/temp-dir.js'

const tempDir = useTempDirs()
const SIM = { embedder: 'e', policy: 'guard', axis: 'sim' } as const

describe('SqliteCalibrationStore', () => {
  it('counts verified and wrong hits per band, apart per embedder, policy and axis', async () => {
    const store = openStore(join(tempDir(), 'cache.sqlite'))
    const calibration = new SqliteCalibrationStore(store.db)
    await calibration.addOutcome(SIM, 15, false)
    await calibration.addOutcome(SIM, 15, true)
    await calibration.addOutcome(SIM, 17, false)
    await calibration.addOutcome({ ...SIM, axis: 'judge' }, 15, true)
    await calibration.addOutcome({ ...SIM, policy: 'none' }, 15, true)
    expect(await calibration.bands(SIM)).toEqual([{ band: 15, verified: 2, wrong: 1 }, { band: 17, verified: 1, wrong: 0 }])
    expect(await calibration.bands({ ...SIM, axis: 'judge' })).toEqual([{ band: 15, verified: 1, wrong: 1 }])
  })

  it('puts new thresholds in force and keeps their history, newest first, across a restart', async () => {
    // Given two changes written to a cache file that is then closed
    const path = join(tempDir(), 'cache.sqlite')
    const first = openStore(path)
    const calibration = new SqliteCalibrationStore(first.db)
    await calibration.changeThresholds('e', 'guard', { tauSim: 0.8, tauJudge: 0, action: 'raise', status: 'below target', reason: 'r1', changedAt: 10 })
    await calibration.changeThresholds('e', 'guard', { tauSim: 0.85, tauJudge: 0, action: 'raise', status: 'below target', reason: 'r2', changedAt: 20 })
    await first.close()
    // When it is opened again
    const reopened = openStore(path)
    // Then the latest thresholds are in force and both changes are in the history
    expect(await reopened.getThresholds('e', 'guard')).toEqual({ tauSim: 0.85, tauJudge: 0, updatedAt: 20 })
    const history = await new SqliteCalibrationStore(reopened.db).history('e', 'guard')
    expect(history.map((h) => [h.tauSim, h.reason, h.changedAt])).toEqual([[0.85, 'r2', 20], [0.8, 'r1', 10]])
    await reopened.close()
  })

  it("remembers an element's latest hit scores until the element is deleted", async () => {
    const store = openStore(join(tempDir(), 'cache.sqlite'))
    await store.registerEmbedder({ fingerprint: 'e', model: 'm', dimensions: 2 })
    const element: NewElement = {
      query: 'q', normalizedQuery: 'q', namespace: 'default', tool: 'search', args: {}, scopeKey: 's', source: '', embedder: 'e', result: 'r',
      latencyMs: 1, costUsd: 0, staticity: 5, frequency: 0, sizeBytes: 3, createdAt: 0, lastAccessAt: 0, expiresAt: 1e12, origin: 'miss',
    }
    const [stored] = await store.insert([{ element, embedding: new Float32Array([1, 0]) }])
    const calibration = new SqliteCalibrationStore(store.db)
    await calibration.rememberHit(stored.id, { similarity: 0.7, judgeScore: null }, 1)
    await calibration.rememberHit(stored.id, { similarity: 0.82, judgeScore: 0.9 }, 2)
    expect(await calibration.hitScores(stored.id)).toEqual({ similarity: 0.82, judgeScore: 0.9 })
    await store.delete([stored.id])
    expect(await calibration.hitScores(stored.id)).toBeUndefined()
  })
})
