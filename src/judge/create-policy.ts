import { AsteriaError } from '../core/errors.js'
import { guardPolicy, thresholdOnlyPolicy, type HitPolicy } from './judge.js'

/** The hit policy for `--judge NAME`. */
export function createPolicy(name: string): HitPolicy {
  if (name === 'none') return thresholdOnlyPolicy
  if (name === 'guard') return guardPolicy
  throw new AsteriaError('CONFIG', `Unknown judge "${name}"; expected none or guard.`, {
    suggestions: ['Pass --judge guard (the offline default) or --judge none (similarity only).'],
  })
}
