import type { PolicyOptions } from '../core/cache/cache-policies.js'
import { COMMAND_LINE, settingSubject } from './setting-subject.js'
import { AsteriaError } from '../core/errors.js'
import { EVICTION_POLICIES, type EvictionPolicy } from '../core/eviction.js'
import type { KnowledgeSource } from '../core/ports/knowledge-source.js'

/**
 * Settings for eviction, prefetching and calibration, in the shape of config.ts (defaults,
 * environment names, validators) so they merge into AsteriaConfig key by key.
 */
export interface BudgetConfig {
  /** Bytes of stored results the cache may hold; unset: no limit. */
  maxBytes?: number
  maxEntries?: number
  /** The same limits for the shared PostgreSQL tier (one machine at a time enforces them); unset: it keeps all until expiry. */
  sharedMaxBytes?: number
  sharedMaxEntries?: number
  evictionPolicy: EvictionPolicy
  /** Prefetch the likely next question of a session (real, possibly paid, remote calls). */
  prefetch: boolean
  prefetchThreshold: number
  prefetchPerMinute: number
  prefetchCostPerHourUsd: number
  /** Share of served hits that must be right (1 - the false-hit rate accepted). */
  targetPrecision: number
  /** Share of semantic hits verified against the source (each a remote call). */
  verifyShare: number
}

export function defaultBudgetConfig(): BudgetConfig {
  return {
    evictionPolicy: 'lcfu',
    prefetch: false,
    prefetchThreshold: 0.5,
    prefetchPerMinute: 10,
    prefetchCostPerHourUsd: 0.05,
    targetPrecision: 0.99,
    verifyShare: 0.05,
  }
}

export const BUDGET_ENV_KEYS: Record<string, keyof BudgetConfig> = {
  ASTERIA_MAX_BYTES: 'maxBytes',
  ASTERIA_MAX_ENTRIES: 'maxEntries',
  ASTERIA_SHARED_MAX_BYTES: 'sharedMaxBytes',
  ASTERIA_SHARED_MAX_ENTRIES: 'sharedMaxEntries',
  ASTERIA_EVICTION_POLICY: 'evictionPolicy',
  ASTERIA_PREFETCH: 'prefetch',
  ASTERIA_TARGET_PRECISION: 'targetPrecision',
  ASTERIA_VERIFY_SHARE: 'verifyShare',
}

type Validator = (value: unknown) => unknown

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 }

/** "500000", "64KB", "10MB", "1GB" (powers of 1024) as a whole number of bytes. */
export function parseBytes(value: unknown): number {
  const match = typeof value === 'number' ? [String(value), String(value), ''] : /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(value))
  const unit = match ? UNITS[match[2].toLowerCase()] : undefined
  const bytes = match && unit ? Math.round(Number(match[1]) * unit) : NaN
  if (!Number.isInteger(bytes) || bytes < 1) throw new Error('a size of at least 1 byte, like 500000, 64KB, 10MB or 1GB')
  return bytes
}

const count: Validator = (v) => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new Error('a whole number of at least 1')
  return n
}
const between = (min: number, max: number, open = false): Validator => (v) => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v
  const inside = typeof n === 'number' && Number.isFinite(n) && (open ? n > min && n < max : n >= min && n <= max)
  if (!inside) throw new Error(open ? `a number above ${min} and below ${max}` : `a number from ${min} to ${max}`)
  return n
}
const flag: Validator = (v) => {
  if (typeof v === 'boolean') return v
  if (v === 'true' || v === '1') return true
  if (v === 'false' || v === '0') return false
  throw new Error('true or false')
}
const policy: Validator = (v) => {
  if (typeof v !== 'string' || !EVICTION_POLICIES.includes(v as EvictionPolicy)) throw new Error(`one of ${EVICTION_POLICIES.join(', ')}`)
  return v
}

export const BUDGET_VALIDATORS: Record<keyof BudgetConfig, Validator> = {
  maxBytes: parseBytes,
  maxEntries: count,
  sharedMaxBytes: parseBytes,
  sharedMaxEntries: count,
  evictionPolicy: policy,
  prefetch: flag,
  prefetchThreshold: between(0, 1, true),
  prefetchPerMinute: count,
  prefetchCostPerHourUsd: between(0, 1000),
  targetPrecision: between(0, 1, true),
  verifyShare: between(0, 1),
}

export function validateBudgetSetting(key: string, value: unknown, where: string): unknown {
  const validator = BUDGET_VALIDATORS[key as keyof BudgetConfig]
  if (!validator) throw new AsteriaError('CONFIG', `Unknown setting "${key}" in ${where}.`, { suggestions: [`Known settings: ${Object.keys(BUDGET_VALIDATORS).join(', ')}.`] })
  try {
    return validator(value)
  } catch (error) {
    // A bad flag value is bad input (exit 2); a bad file or environment value is a configuration error (exit 3).
    const code = where === COMMAND_LINE ? 'BAD_INPUT' : 'CONFIG'
    throw new AsteriaError(code, `Expected ${settingSubject(key, where)} to be ${(error as Error).message}, received ${JSON.stringify(value)}.`)
  }
}

/** Defaults, then ASTERIA_* environment, then flags the user typed (config files join when merged into config.ts). */
export function resolveBudgetConfig(flags: Partial<Record<keyof BudgetConfig, unknown>> = {}, env: NodeJS.ProcessEnv = process.env): BudgetConfig {
  const config = defaultBudgetConfig() as unknown as Record<string, unknown>
  for (const [name, key] of Object.entries(BUDGET_ENV_KEYS)) {
    if (env[name] !== undefined && env[name] !== '') config[key] = validateBudgetSetting(key, env[name], 'the environment')
  }
  for (const [key, value] of Object.entries(flags)) if (value !== undefined) config[key] = validateBudgetSetting(key, value, COMMAND_LINE)
  return config as unknown as BudgetConfig
}

/** The SemanticCache options these settings stand for; prefetches and verifications ask the source of each tool. */
export function policyOptionsFromConfig(config: BudgetConfig, sourceFor: (tool: string) => KnowledgeSource): Omit<PolicyOptions, 'policyStores'> {
  const ask = async (tool: string, query: string, args: Record<string, unknown>) => {
    const call = await sourceFor(tool).search(query, args)
    return { result: call.result, latencyMs: call.latencyMs, costUsd: call.costUsd }
  }
  return {
    budget: { maxBytes: config.maxBytes, maxEntries: config.maxEntries, policy: config.evictionPolicy },
    prefetch: {
      enabled: config.prefetch,
      threshold: config.prefetchThreshold,
      maxPerMinute: config.prefetchPerMinute,
      maxCostPerHourUsd: config.prefetchCostPerHourUsd,
      loader: (target) => ask(target.tool, target.query, target.args),
    },
    calibration: {
      targetPrecision: config.targetPrecision,
      sampleShare: config.verifyShare,
      verify: (_element, request) => ask(request.tool, request.query, request.args),
    },
  }
}
