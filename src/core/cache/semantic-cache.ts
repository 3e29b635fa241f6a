import { systemClock, type Clock } from '../clock.js'
import type { Thresholds } from '../decision.js'
import { recordFeedback, type FeedbackReport, type FeedbackVerdict } from '../admin/feedback.js'
import { defaultThresholds } from '../calibration/thresholds.js'
import { normalizeQuery } from '../normalize.js'
import type { CacheStore } from '../ports/cache-store.js'
import type { Embedder } from '../ports/embedder.js'
import { guardPolicy, type HitPolicy } from '../ports/hit-policy.js'
import { validateQuery } from '../query-limits.js'
import { scopeKey, type Scope } from '../scope.js'
import type { ElementInput, SemanticElement } from '../semantic-element.js'
import { CACHE_CONTEXT, type CacheContext, type CacheHandle } from './cache-context.js'
import type { CacheOptions } from './cache-options.js'
import { CachePolicies } from './cache-policies.js'
import { countServed } from './counters.js'
import { FetchThrough } from './fetch-through.js'
import type { Loader } from './loader.js'
import { CacheLookup } from './lookup.js'
import type { FetchOptions, FetchResult, LookupResult, RequestOptions } from './requests.js'
import { isSideEffectTool, newElement } from './store-element.js'

/**
 * The semantic cache: look-ups by meaning within a scope, storing with staticity-based
 * expiry, and fetch-through with single flight. Everything a user of the library needs.
 */
export class SemanticCache implements CacheHandle {
  readonly embedder: Embedder
  readonly policy: HitPolicy
  readonly clock: Clock
  /** What the helpers (stats, feedback, import, re-embedding, pruning) use of this cache. */
  readonly [CACHE_CONTEXT]: CacheContext
  private readonly storage: CacheStore
  /** Eviction, prefetching and calibration; each inactive unless its option is given. */
  private readonly policies: CachePolicies
  private readonly options: CacheOptions
  private readonly lookups: CacheLookup
  private readonly misses: FetchThrough
  private thresholdsCache: Thresholds | undefined
  private thresholdsVersion = 0
  private registered: Promise<void> | undefined

  constructor(options: CacheOptions) {
    this.options = options
    this.storage = options.store
    this.embedder = options.embedder
    this.policy = options.policy ?? guardPolicy
    this.clock = options.clock ?? systemClock
    const policies = (): CachePolicies => this.policies
    this[CACHE_CONTEXT] = {
      store: this.storage,
      embedder: this.embedder,
      policy: this.policy,
      clock: this.clock,
      get policyStores() {
        return policies().stores
      },
      get calibrator() {
        return policies().calibrator
      },
      scope: (request) => this.scope(request),
      thresholds: () => this.thresholds(),
      invalidateThresholds: () => this.invalidateThresholds(),
      ready: () => this.ready(),
    }
    this.policies = new CachePolicies(
      {
        store: this.storage,
        embedder: this.embedder,
        policy: this.policy,
        clock: this.clock,
        thresholds: () => this.thresholds(),
        invalidateThresholds: () => this.invalidateThresholds(),
        isSideEffectTool: (tool) => this.isSideEffectTool(tool),
        storeElement: (input, origin) => this.store(input, undefined, origin),
      },
      options,
    )
    this.lookups = new CacheLookup(this[CACHE_CONTEXT], options)
    this.misses = new FetchThrough({
      ctx: this[CACHE_CONTEXT],
      options,
      lookup: this.lookups,
      scope: (request) => this.scope(request),
      store: (input, embedding, origin) => this.store(input, embedding, origin),
      deleteExact: (key, normalized) => this.deleteExact(key, normalized),
      served: (request) => this.policies.afterServe(request),
    })
  }

  /** Thresholds in force: explicit options, else calibrated values in the store, else defaults. */
  async thresholds(): Promise<Thresholds> {
    if (this.thresholdsCache) return this.thresholdsCache
    const version = this.thresholdsVersion
    const stored = await this.storage.getThresholds(this.embedder.fingerprint, this.policy.name)
    const base = stored ?? defaultThresholds(this.embedder.fingerprint, this.policy.name)
    // Under calibration the values it stored win: configured ones are only its starting point.
    const overrides = stored && this.policies.calibrator ? {} : definedOnly(this.options.thresholds)
    const thresholds = { tauSim: base.tauSim, tauJudge: base.tauJudge, ...overrides }
    // A change while the store was read makes this reading stale: keep it for this caller only.
    if (version === this.thresholdsVersion) this.thresholdsCache = thresholds
    return thresholds
  }

  /** Calibration moved the thresholds: read them again on the next look-up. */
  invalidateThresholds(): void {
    this.thresholdsCache = undefined
    this.thresholdsVersion++
  }

  scope(request: RequestOptions): Scope {
    const tool = request.tool ?? 'search'
    return {
      namespace: request.namespace ?? this.options.namespace ?? 'default',
      tool,
      args: request.args ?? {},
      source: this.options.sourceFor?.(tool) ?? '',
      embedder: this.embedder.fingerprint,
    }
  }

  /**
   * Registers the embedder and adopts elements stored before sources were recorded, once per
   * process; whatever reads or rewrites elements (look-ups, stores, import, re-embedding) waits for
   * it. A failure is not kept: the next call tries again.
   */
  ready(): Promise<void> {
    this.registered ??= this.storage
      .registerEmbedder({ fingerprint: this.embedder.fingerprint, model: this.embedder.model, dimensions: this.embedder.dimensions })
      .then(() => this.adoptUnrecordedSources())
      .catch((error: unknown) => {
        this.registered = undefined
        throw error
      })
    return this.registered
  }

  /**
   * Elements of a cache file written before sources were recorded answer again, as answers of the
   * source now configured for their tool (what served them before the upgrade). Best effort: a
   * locked file or an unreachable shared tier leaves them for a later process, with a warning.
   */
  private async adoptUnrecordedSources(): Promise<void> {
    const sourceFor = this.options.sourceFor
    if (!sourceFor || !this.storage.adoptUnrecordedSources) return
    try {
      await this.storage.adoptUnrecordedSources((element) => {
        const source = sourceFor(element.tool)
        return { source, scopeKey: scopeKey({ namespace: element.namespace, tool: element.tool, args: element.args, source, embedder: element.embedder }) }
      })
    } catch (error) {
      this.options.onWarning?.(`elements stored before sources were recorded were not adopted this time (${(error as Error).message}); a later run will try again.`)
    }
  }

  /** Looks a question up without calling any source; the decision record says why. */
  async lookup(query: string, request: RequestOptions = {}, maxAgeMs?: number): Promise<LookupResult> {
    const text = validateQuery(query)
    await this.ready()
    const scope = this.scope(request)
    const result = await this.lookups.run(text, scopeKey(scope), maxAgeMs)
    if (result.element) await this.storage.recordHit(result.element.id, this.clock.now())
    await countServed(this.storage, scope.namespace, result.decision, result.element)
    await this.policies.afterServe({ query: text, scope, session: request.session, decision: result.decision, element: result.element })
    return { decision: result.decision, element: result.element }
  }

  /** Stores a result for a question; expiry follows from its staticity and is fixed now. */
  async store(input: ElementInput, embedding?: Float32Array, origin: SemanticElement['origin'] = 'store'): Promise<SemanticElement> {
    const query = validateQuery(input.query)
    await this.ready()
    const scope = this.scope(input)
    const element = await newElement(this, this.options, scope, query, input, origin)
    const vector = embedding ?? (await this.lookups.embedOne(query))
    const [stored] = await this.storage.insert([{ element, embedding: vector }])
    await this.storage.addCounters(scope.namespace, { stores: 1 })
    await this.policies.afterStore(stored)
    return stored
  }

  isSideEffectTool(tool: string): boolean {
    return isSideEffectTool(this.options, tool)
  }

  /**
   * Serves a stored answer when one answers the question, else calls `loader` once for all
   * concurrent equivalent requests and stores its result (unless it failed or must not be cached).
   */
  fetchThrough(query: string, loader: Loader, options: FetchOptions = {}): Promise<FetchResult> {
    return this.misses.fetch(query, loader, options)
  }

  /** Invalidates what is stored for exactly this question (after normalisation) in its scope. */
  async invalidate(query: string, request: RequestOptions = {}): Promise<number> {
    // A tiered store copies what it finds before deleting it: the local file needs the embedder.
    await this.ready()
    return this.deleteExact(scopeKey(this.scope(request)), normalizeQuery(validateQuery(query)))
  }

  private async deleteExact(key: string, normalized: string): Promise<number> {
    let deleted = 0
    for (let old = await this.storage.findExact(key, normalized, -Infinity); old; old = await this.storage.findExact(key, normalized, -Infinity)) {
      deleted += await this.storage.delete([old.id])
    }
    return deleted
  }

  /** Removes elements by id; returns how many existed. */
  async delete(ids: number[]): Promise<number> {
    return this.storage.delete(ids)
  }

  /** A user's verdict on a served element: `{ wrong: true }` removes it and counts as a verified false hit. */
  feedback(id: number, verdict: FeedbackVerdict): Promise<FeedbackReport> {
    return recordFeedback(this, id, verdict)
  }

  /** Resolves once background prefetches and verifications have finished. */
  settle(): Promise<void> {
    return this.policies.settle()
  }

  async close(): Promise<void> {
    await this.policies.settle()
    await this.storage.close()
  }
}

function definedOnly<T extends object>(value: Partial<T> | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>
}
