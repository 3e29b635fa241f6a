import { BackgroundQueue } from './background-queue.js'
import { Calibrator, type CalibrationOptions } from '../calibration/calibration.js'
import type { DecisionRecord } from '../decision.js'
import { AsteriaError } from '../errors.js'
import { checkBudget, hasLimit, type CacheBudget } from '../eviction.js'
import { providedPolicyStores, type PolicyStores } from '../ports/policy-stores.js'
import { Prefetcher, type PrefetchOptions } from '../prefetch.js'
import type { Scope } from '../scope.js'
import type { ElementInput, SemanticElement } from '../semantic-element.js'
import type { CacheContext } from './cache-context.js'
import { isEmptyResult, type LoaderResult } from './loader.js'

/** The options of SemanticCache that turn on eviction, prefetching and calibration. */
export interface PolicyOptions {
  /** Byte and entry limits enforced after each store; expired elements go first, then by policy (default lcfu). */
  budget?: CacheBudget
  /** Proactive prefetching; the model learns from requests that name a session, fetching only when enabled. */
  prefetch?: PrefetchOptions
  /** Self-calibration to a target precision. */
  calibration?: CalibrationOptions
  /** Tables for the above; default: the store's own (`policyStores()`), when it keeps them. */
  policyStores?: PolicyStores
}

/** What the policies use of their cache: its store, clock, hit policy and thresholds, and a way to store what they fetch. */
export interface PolicyHost extends Pick<CacheContext, 'store' | 'embedder' | 'policy' | 'clock' | 'thresholds' | 'invalidateThresholds'> {
  isSideEffectTool(tool: string): boolean
  storeElement(input: ElementInput, origin: SemanticElement['origin']): Promise<SemanticElement>
}

type RequestedQuestion = Pick<SemanticElement, 'query' | 'tool' | 'args' | 'namespace'>

/** One request the cache has just answered, as the policies see it. */
export interface ServedRequest {
  query: string
  scope: Scope
  session?: string
  decision: DecisionRecord
  element: SemanticElement | null
}

/**
 * Eviction, prefetching and calibration around a SemanticCache: called after each store and each
 * answered request; everything that calls a source runs in the background, never on a request's path.
 */
export class CachePolicies {
  readonly stores: PolicyStores | undefined
  readonly calibrator: Calibrator | undefined
  private readonly prefetcher: Prefetcher | undefined
  private readonly budget: CacheBudget | undefined
  private readonly background: BackgroundQueue

  constructor(
    private readonly cache: PolicyHost,
    options: PolicyOptions,
  ) {
    this.stores = options.policyStores ?? providedPolicyStores(cache.store)
    const wanted = [hasLimit(options.budget) && 'budget', options.prefetch && 'prefetch', options.calibration && 'calibration'].filter(Boolean)
    if (wanted.length > 0 && !this.stores) {
      throw new AsteriaError('CONFIG', `The cache options ${wanted.join(', ')} need tables for eviction, prefetching and calibration, and the store keeps none.`, {
        suggestions: ['Pass `policyStores: sqlitePolicyStores(store)` with a SQLite store, or leave these options out.'],
      })
    }
    this.budget = hasLimit(options.budget) ? checkBudget(options.budget) : undefined
    this.background = new BackgroundQueue(2, 256, () => undefined)
    const schedule = (job: () => Promise<void>) => this.background.push(job)
    const count = (namespace: string, deltas: Record<string, number>) => cache.store.addCounters(namespace, deltas)
    if (options.prefetch && this.stores) {
      if (options.prefetch.enabled && !options.prefetch.loader) {
        throw new AsteriaError('CONFIG', 'Prefetching is enabled but no prefetch loader was given.', {
          suggestions: ['Pass prefetch.loader: (target) => fetch target.query from the source of target.tool.'],
        })
      }
      this.prefetcher = new Prefetcher(options.prefetch, this.stores.transitions, {
        now: () => cache.clock.now(),
        isPresent: async (t) => (await cache.store.findExact(t.scopeKey, t.normalizedQuery, cache.clock.now())) !== undefined,
        isSideEffectTool: (tool) => cache.isSideEffectTool(tool),
        store: (t, loaded) => this.storeLoaded(t, loaded, 'prefetch'),
        count,
        schedule,
      })
    }
    if (options.calibration && this.stores) {
      this.calibrator = new Calibrator(options.calibration, this.stores.calibration, {
        embedder: cache.embedder.fingerprint,
        policy: cache.policy.name,
        usesJudge: cache.policy.judge !== null,
        now: () => cache.clock.now(),
        thresholds: () => cache.thresholds(),
        thresholdsChanged: () => cache.invalidateThresholds(),
        count,
        schedule,
        storeFresh: async (request, fresh) => void (await this.storeLoaded(request, fresh, 'miss')),
      })
    }
  }

  /** After an element is stored: evicts down to the budget, never the element just stored. */
  async afterStore(element: SemanticElement): Promise<void> {
    const now = this.cache.clock.now()
    await this.stores?.upkeep?.(now)
    if (!this.budget || !this.stores) return
    const protect = [element.id, ...(this.prefetcher?.protectedIds(now) ?? [])]
    await this.stores.eviction.evictOverBudget({ budget: this.budget, now, protect })
  }

  /** After a request is answered: prefetch bookkeeping, hit scores, the verification draw, the Markov model. */
  async afterServe({ query, scope, session, decision, element }: ServedRequest): Promise<void> {
    if (element && decision.hit) {
      if (element.origin === 'prefetch') {
        this.prefetcher?.used(element.id)
        await this.cache.store.addCounters(scope.namespace, { prefetch_hits: 1, prefetch_used: element.frequency === 0 ? 1 : 0 })
      }
      const scores = { similarity: decision.similarity, judgeScore: decision.candidates.find((c) => c.outcome === 'hit')?.judgeScore ?? null }
      await this.stores?.calibration.rememberHit(element.id, scores, this.cache.clock.now())
      // Exact repeats are served as stored and do not depend on tau: only semantic hits are sampled.
      if (decision.kind === 'semantic') this.calibrator?.sample(element, { query, tool: scope.tool, args: scope.args, namespace: scope.namespace, ...scores })
    }
    if (session === undefined || !this.prefetcher) return
    if (element) await this.prefetcher.observe(session, element)
    else this.prefetcher.forget(scope.namespace, session)
  }

  /** Resolves when no prefetch or verification is queued or running. */
  settle(): Promise<void> {
    return this.background.idle()
  }

  /** Stores what a background call fetched (a prefetch, or a verification that found the hit wrong). */
  private async storeLoaded(question: RequestedQuestion, loaded: LoaderResult, origin: SemanticElement['origin']): Promise<SemanticElement | undefined> {
    if (loaded.cacheable === false || isEmptyResult(loaded.result)) return undefined
    const input = { query: question.query, tool: question.tool, args: question.args, namespace: question.namespace, result: loaded.result, latencyMs: loaded.latencyMs, costUsd: loaded.costUsd }
    return this.cache.storeElement(input, origin)
  }
}
