import type { PolicyStores } from '../../core/ports/policy-stores.js'
import { sqlitePolicyStores } from '../sqlite/sqlite-policy-stores.js'
import { PostgresCalibrationStore, PostgresTransitionStore } from '../postgres/postgres-policy-stores.js'
import type { PostgresStore } from '../postgres/postgres-store.js'
import type { SqliteStore } from '../sqlite/sqlite-store.js'
import { OFFLINE } from './availability.js'
import type { SharedCall } from './sync.js'

/**
 * The policy tables of a tiered store. Eviction keeps this machine's hot tier within its budget
 * (the shared tier keeps everything until it expires). The prefetch model and calibration are
 * shared by every machine; while the shared tier is away they fall back to this machine's file.
 * Hit scores stay local: they are keyed by local element ids. Upkeep prunes the shared tier (tiered-eviction.ts).
 */
export function tieredPolicyStores(call: SharedCall, local: SqliteStore, shared: PostgresStore, upkeep: (now: number) => Promise<void>): PolicyStores {
  const hot = sqlitePolicyStores(local)
  const transitions = new PostgresTransitionStore(shared.db)
  const calibration = new PostgresCalibrationStore(shared.db)
  const sharedFirst =
    <A extends unknown[], R>(remote: (...args: A) => Promise<R>, fallback: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const value = await call(() => remote(...args))
      return value === OFFLINE ? fallback(...args) : value
    }
  return {
    eviction: hot.eviction,
    upkeep,
    transitions: {
      observe: sharedFirst((...a) => transitions.observe(...a), (...a) => hot.transitions.observe(...a)),
      successors: sharedFirst((...a) => transitions.successors(...a), (...a) => hot.transitions.successors(...a)),
    },
    calibration: {
      addOutcome: sharedFirst((...a) => calibration.addOutcome(...a), (...a) => hot.calibration.addOutcome(...a)),
      bands: sharedFirst((...a) => calibration.bands(...a), (...a) => hot.calibration.bands(...a)),
      changeThresholds: sharedFirst((...a) => calibration.changeThresholds(...a), (...a) => hot.calibration.changeThresholds(...a)),
      history: sharedFirst((...a) => calibration.history(...a), (...a) => hot.calibration.history(...a)),
      rememberHit: (...a) => hot.calibration.rememberHit(...a),
      hitScores: (...a) => hot.calibration.hitScores(...a),
      // Both tiers: the fallback copy must not bring old thresholds back while the shared tier is away.
      reset: async () => {
        const local = await hot.calibration.reset()
        const remote = await call(() => calibration.reset())
        return remote === OFFLINE ? local : remote
      },
    },
  }
}
