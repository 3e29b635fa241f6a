import type { Clock } from '../clock.js'
import type { Thresholds } from '../decision.js'
import type { GuardResources } from '../guard/guard.js'
import type { CacheStore } from '../ports/cache-store.js'
import type { Embedder } from '../ports/embedder.js'
import type { HitPolicy } from '../ports/hit-policy.js'
import type { PolicyOptions } from './cache-policies.js'

export interface CacheOptions extends PolicyOptions {
  store: CacheStore
  embedder: Embedder
  /** How candidates are accepted; default: the rule-based guard. */
  policy?: HitPolicy
  clock?: Clock
  /** Default namespace (tenant or project) for requests that name none. */
  namespace?: string
  /** Overrides of the thresholds otherwise taken from calibration or defaults. */
  thresholds?: Partial<Thresholds>
  /** Nearest neighbours examined per look-up. */
  k?: number
  ttlByStaticity?: readonly number[]
  /** Tools with side effects: never cached. */
  sideEffectTools?: string[]
  /**
   * Names the knowledge source that answers a tool, which becomes part of the scope: after a
   * switch of source, the previous one's answers are never served. Omitted: no source in the scope.
   */
  sourceFor?: (tool: string) => string
  /** What the guard reads questions with: the name lexicon and word vectors (default: the shipped lexicon, no vectors). */
  guard?: GuardResources
  judgeTimeoutMs?: number
  /** Scores staticity 1..10 when an element is stored; default: the rule-based scorer. */
  staticityScorer?: (query: string, tool: string) => number | Promise<number>
  /** Told once when the judge starts failing or missing its deadline (look-ups then miss). */
  onWarning?: (message: string) => void
}
