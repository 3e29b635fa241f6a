import type { Embedder } from '../ports/embedder.js'
import { guardPolicy, type HitPolicy } from '../ports/hit-policy.js'
import type { CacheStore, NewElement } from '../ports/cache-store.js'
import { systemClock, type Clock } from '../clock.js'
import type { DecisionRecord, Thresholds } from '../decision.js'
import { emptyTimings } from '../decision.js'
import { AsteriaError } from '../errors.js'
import { checkGuard, readQuestion } from '../guard/guard.js'
import { normalizeQuery } from '../normalize.js'
import type { GuardResources } from '../guard/guard.js'
import { MAX_RESULT_BYTES, validateQuery } from '../query-limits.js'
import { claimFlight, PEER_FLIGHT_DEFAULTS } from '../ports/leases.js'
import { scopeKey, type Scope } from '../scope.js'
import { resultSizeBytes, type ElementInput, type SemanticElement } from '../semantic-element.js'
import { SingleFlight } from './fetch-through.js'
import { scoreStaticity, staticityToTtl, DEFAULT_TTL_BY_STATICITY_MS } from '../staticity.js'
import { sineLookup } from '../sine.js'
import { CachePolicies, type PolicyOptions } from './cache-policies.js'
import { recordFeedback, type FeedbackReport, type FeedbackVerdict } from '../admin/feedback.js'
import { defaultThresholds } from '../calibration/thresholds.js'
import { cosineSimilarity } from '../util/vectors.js'

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

export interface RequestOptions {
  tool?: string
  args?: Record<string, unknown>
  namespace?: string
  /** The agent session asking: what it needs next is learned for prefetching. */
  session?: string
}

export interface FetchOptions extends RequestOptions {
  /** Bypass the cache entirely: call the source, store nothing. */
  noCache?: boolean
  /** Call the source and replace what is stored for this exact query. */
  refresh?: boolean
  /** Serve only elements younger than this, ms. */
  maxAgeMs?: number
  /** Told how the request will be served as soon as the cache knows, before any remote call or wait (tracing, simulation). */
  onDecision?: (decision: DecisionRecord, source: FetchResult['source']) => void
}

export interface LoaderResult {
  result: unknown
  /** Measured latency of the remote call, ms (default: time the loader took on the clock). */
  latencyMs?: number
  costUsd?: number
  /** false when the source failed softly (e.g. an empty result after an error): not stored. */
  cacheable?: boolean
}

export type Loader = (signal?: AbortSignal) => Promise<LoaderResult>

export interface LookupResult {
  decision: DecisionRecord
  element: SemanticElement | null
}

export interface FetchResult {
  result: unknown
  /** `cache`: served from a stored element; `remote`: the loader ran; `coalesced`: joined another request's call. */
  source: 'cache' | 'remote' | 'coalesced'
  decision: DecisionRecord
  element: SemanticElement | null
  /** Latency and cost of the remote call this request paid for (0 for hits and coalesced). */
  latencyMs: number
  costUsd: number
}

interface FlightMeta {
  query: string
  embedding: Float32Array | null
}

interface FlightOutcome {
  result: unknown
  element: SemanticElement | null
  /** Stored by another process that fetched the same question at the same time. */
  fromPeer?: boolean
}

/**
 * The semantic cache: look-ups by meaning within a scope, storing with staticity-based
 * expiry, and fetch-through with single flight. Everything a user of the library needs.
 */
export class SemanticCache {
  readonly storage: CacheStore
  readonly embedder: Embedder
  readonly policy: HitPolicy
  readonly clock: Clock
  private readonly options: CacheOptions
  private readonly flights = new SingleFlight<FlightOutcome, FlightMeta>()
  private thresholdsCache: Thresholds | undefined
  private thresholdsVersion = 0
  private registered: Promise<void> | undefined
  /** Eviction, prefetching and calibration; each inactive unless its option is given. */
  readonly policies: CachePolicies

  constructor(options: CacheOptions) {
    this.options = options
    this.storage = options.store
    this.embedder = options.embedder
    this.policy = options.policy ?? guardPolicy
    this.clock = options.clock ?? systemClock
    this.policies = new CachePolicies(this, options)
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

  /**
   * Embeds a question as the guard reads it: a spoken self-correction's taken-back words
   * ("empire, sorry, name") would otherwise pull its vector away from the question it asks.
   */
  private async embedOne(text: string): Promise<Float32Array> {
    const asked = this.policy.useGuard ? readQuestion(text, this.options.guard).repaired || text : text
    const [vector] = await this.embedder.embed([asked])
    return vector
  }

  /** Looks a question up without calling any source; the decision record says why. */
  async lookup(query: string, request: RequestOptions = {}, maxAgeMs?: number): Promise<LookupResult> {
    const text = validateQuery(query)
    await this.ready()
    const scope = this.scope(request)
    const result = await this.runSine(text, scopeKey(scope), maxAgeMs)
    if (result.element) await this.storage.recordHit(result.element.id, this.clock.now())
    await this.count(scope.namespace, result.decision, result.element)
    await this.policies.afterServe({ query: text, scope, session: request.session, decision: result.decision, element: result.element })
    return { decision: result.decision, element: result.element }
  }

  private async runSine(text: string, key: string, maxAgeMs?: number) {
    let embedding: Promise<Float32Array> | undefined
    const found = await sineLookup(
      {
        query: text,
        normalizedQuery: normalizeQuery(text),
        scopeKey: key,
        embedder: this.embedder.fingerprint,
        embedding: () => (embedding ??= this.embedOne(text)),
        notBefore: maxAgeMs === undefined ? undefined : this.clock.now() - maxAgeMs,
      },
      {
        store: this.storage,
        clock: this.clock,
        policy: this.policy,
        thresholds: await this.thresholds(),
        k: this.options.k ?? 8,
        guard: this.options.guard,
        judgeTimeoutMs: this.options.judgeTimeoutMs ?? 2000,
      },
    )
    this.warnOnceAboutJudge(found.decision)
    return found
  }

  private judgeWarned = false

  /** A failing or slow judge turns look-ups into misses; the user hears about it once per cache. */
  private warnOnceAboutJudge(decision: DecisionRecord): void {
    const judge = decision.judge
    if (this.judgeWarned || !judge || (judge.verdict !== 'error' && judge.verdict !== 'late')) return
    this.judgeWarned = true
    const why = judge.verdict === 'late' ? `did not answer within its deadline (${judge.ms.toFixed(0)} ms)` : `failed (${judge.error ?? 'error'})`
    this.options.onWarning?.(`The ${judge.name} judge ${why}; such look-ups are served as misses (the source is asked) until it recovers.`)
  }

  /** Stores a result for a question; expiry follows from its staticity and is fixed now. */
  async store(input: ElementInput, embedding?: Float32Array, origin: SemanticElement['origin'] = 'store'): Promise<SemanticElement> {
    const query = validateQuery(input.query)
    await this.ready()
    const scope = this.scope(input)
    if (this.isSideEffectTool(scope.tool)) {
      throw new AsteriaError('BAD_INPUT', `The tool "${scope.tool}" is declared with side effects; its results are never cached.`, {
        suggestions: ['Remove it from `sideEffectTools` in the configuration if its results are safe to reuse.'],
      })
    }
    const size = resultSizeBytes(input.result)
    if (size > MAX_RESULT_BYTES) {
      throw new AsteriaError('BAD_INPUT', `Expected a result of at most ${MAX_RESULT_BYTES} bytes, received ${size} bytes; it was not stored.`, {
        suggestions: ['Store the passages an agent needs, not whole documents.'],
      })
    }
    const now = this.clock.now()
    const staticity = input.staticity ?? (await (this.options.staticityScorer ?? scoreStaticity)(query, scope.tool))
    const ttl = input.ttlMs ?? staticityToTtl(staticity, this.options.ttlByStaticity ?? DEFAULT_TTL_BY_STATICITY_MS)
    const element: NewElement = {
      query,
      normalizedQuery: normalizeQuery(query),
      namespace: scope.namespace,
      tool: scope.tool,
      args: scope.args,
      scopeKey: scopeKey(scope),
      source: scope.source ?? '',
      embedder: this.embedder.fingerprint,
      result: input.result,
      latencyMs: input.latencyMs ?? 0,
      costUsd: input.costUsd ?? 0,
      staticity,
      frequency: 0,
      sizeBytes: resultSizeBytes(input.result),
      createdAt: now,
      lastAccessAt: now,
      expiresAt: now + ttl,
      origin,
    }
    const vector = embedding ?? (await this.embedOne(query))
    const [stored] = await this.storage.insert([{ element, embedding: vector }])
    await this.storage.addCounters(scope.namespace, { stores: 1 })
    await this.policies.afterStore(stored)
    return stored
  }

  isSideEffectTool(tool: string): boolean {
    return (this.options.sideEffectTools ?? []).includes(tool)
  }

  /**
   * Serves a stored answer when one answers the question, else calls `loader` once for all
   * concurrent equivalent requests and stores its result (unless it failed or must not be cached).
   */
  async fetchThrough(query: string, loader: Loader, options: FetchOptions = {}): Promise<FetchResult> {
    const text = validateQuery(query)
    const scope = this.scope(options)
    const thresholds = await this.thresholds()
    if (options.noCache || this.isSideEffectTool(scope.tool)) {
      const reason = options.noCache ? 'cache bypassed (--no-cache)' : `tool "${scope.tool}" has side effects: never cached`
      const decision = this.bareDecision('bypass', reason, thresholds)
      options.onDecision?.(decision, 'remote')
      const call = await this.callLoader(loader)
      await this.storage.addCounters(scope.namespace, { requests: 1, bypassed: 1, remote_calls: 1, cost_spent_usd: call.costUsd })
      return { result: call.result, source: 'remote', decision, element: null, latencyMs: call.latencyMs, costUsd: call.costUsd }
    }
    await this.ready()
    const key = scopeKey(scope)
    const normalized = normalizeQuery(text)
    let decision: DecisionRecord
    let embedding: Float32Array | null = null
    if (options.refresh) {
      decision = this.bareDecision('miss', 'refresh requested: fetching and replacing the stored element', thresholds)
    } else {
      const found = await this.runSine(text, key, options.maxAgeMs)
      decision = found.decision
      embedding = found.embedding
      if (found.element) {
        options.onDecision?.(decision, 'cache')
        await this.storage.recordHit(found.element.id, this.clock.now())
        await this.count(scope.namespace, decision, found.element)
        await this.policies.afterServe({ query: text, scope, session: options.session, decision, element: found.element })
        return { result: found.element.result, source: 'cache', decision, element: found.element, latencyMs: 0, costUsd: 0 }
      }
    }

    const joined = options.refresh ? undefined : this.flights.find(key, normalized, (meta) => this.equivalentInFlight(text, embedding, meta, thresholds))
    if (joined) {
      decision = { ...decision, reason: `coalesced with an identical request already in flight (${decision.reason})` }
      options.onDecision?.(decision, 'coalesced')
      const outcome = await joined.promise
      await this.storage.addCounters(scope.namespace, { requests: 1, coalesced: 1 })
      await this.policies.afterServe({ query: text, scope, session: options.session, decision, element: outcome.element })
      return { result: outcome.result, source: 'coalesced', decision, element: outcome.element, latencyMs: 0, costUsd: 0 }
    }

    let paid = { latencyMs: 0, costUsd: 0 }
    options.onDecision?.(decision, 'remote')
    const outcome = await this.flights.start(key, normalized, { query: text, embedding }, () => this.acrossProcesses(key, normalized, options, async () => {
      const call = await this.callLoader(loader)
      paid = call
      if (resultSizeBytes(call.result) > MAX_RESULT_BYTES) {
        await this.storage.addCounters(scope.namespace, { not_cached_too_large: 1 })
        return { result: call.result, element: null }
      }
      if (call.cacheable === false || isEmptyResult(call.result)) {
        await this.storage.addCounters(scope.namespace, { not_cached_empty: 1 })
        return { result: call.result, element: null }
      }
      if (options.refresh) {
        await this.deleteExact(key, normalized)
      }
      const element = await this.store(
        { query: text, tool: scope.tool, args: scope.args, namespace: scope.namespace, result: call.result, latencyMs: call.latencyMs, costUsd: call.costUsd },
        embedding ?? undefined,
        'miss',
      )
      return { result: call.result, element }
    }))
    if (outcome.fromPeer) {
      await this.storage.addCounters(scope.namespace, { requests: 1, coalesced: 1 })
      await this.policies.afterServe({ query: text, scope, session: options.session, decision, element: outcome.element })
      decision = { ...decision, reason: `coalesced with the same question fetched by another process (${decision.reason})` }
      return { result: outcome.result, source: 'coalesced', decision, element: outcome.element, latencyMs: 0, costUsd: 0 }
    }
    await this.count(scope.namespace, decision, null, paid)
    await this.policies.afterServe({ query: text, scope, session: options.session, decision, element: outcome.element })
    return { result: outcome.result, source: 'remote', decision, element: outcome.element, ...paid }
  }

  /** Single flight across processes sharing the store: leads (runs `work` under a claim) or serves what another process stored. */
  private async acrossProcesses(key: string, normalized: string, options: FetchOptions, work: () => Promise<FlightOutcome>): Promise<FlightOutcome> {
    const notBefore = options.maxAgeMs === undefined ? undefined : this.clock.now() - options.maxAgeMs
    const claim = options.refresh ? undefined : await claimFlight(this.storage, key, normalized, { ...PEER_FLIGHT_DEFAULTS, now: () => this.clock.now(), notBefore })
    if (claim?.kind === 'peer') return { result: claim.element.result, element: claim.element, fromPeer: true }
    try {
      return await work()
    } finally {
      // A failed release only lets the claim lapse at its expiry.
      await claim?.lease?.release().catch(() => {})
    }
  }

  private equivalentInFlight(text: string, embedding: Float32Array | null, meta: FlightMeta, thresholds: Thresholds): boolean {
    // Without a model judge the in-flight check is the same rule a stored element would face.
    if (this.policy.judge || !embedding || !meta.embedding) return false
    if (cosineSimilarity(embedding, meta.embedding) < thresholds.tauSim) return false
    return !this.policy.useGuard || checkGuard(text, meta.query, this.options.guard).pass
  }

  private async callLoader(loader: Loader): Promise<Required<Omit<LoaderResult, 'cacheable'>> & { cacheable?: boolean }> {
    const started = this.clock.now()
    const wallStart = performance.now()
    const outcome = await loader()
    const measured = this.clock === systemClock ? performance.now() - wallStart : this.clock.now() - started
    return { result: outcome.result, latencyMs: outcome.latencyMs ?? measured, costUsd: outcome.costUsd ?? 0, cacheable: outcome.cacheable }
  }

  private bareDecision(kind: 'bypass' | 'miss', reason: string, thresholds: Thresholds): DecisionRecord {
    return {
      hit: false, kind, elementId: null, similarity: null, guard: null, judge: null,
      policy: this.policy.name, thresholds, timings: emptyTimings(), candidates: [], reason,
    }
  }

  private async count(namespace: string, decision: DecisionRecord, element: SemanticElement | null, paid?: { latencyMs: number; costUsd: number }): Promise<void> {
    const deltas: Record<string, number> = { requests: 1 }
    if (decision.kind === 'exact') deltas.hits_exact = 1
    if (decision.kind === 'semantic') deltas.hits_semantic = 1
    if (element && decision.hit) {
      deltas.cost_saved_usd = element.costUsd
      deltas.latency_saved_ms = element.latencyMs
    }
    if (!decision.hit) deltas.misses = 1
    if (paid) {
      deltas.remote_calls = 1
      deltas.cost_spent_usd = paid.costUsd
    }
    if (decision.judge) deltas.judge_calls = 1
    await this.storage.addCounters(namespace, deltas)
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

/** A source answer with nothing in it is not worth serving again. */
export function isEmptyResult(result: unknown): boolean {
  if (result === null || result === undefined) return true
  if (typeof result === 'string') return result.trim().length === 0
  if (Array.isArray(result)) return result.length === 0
  const documents = (result as { documents?: unknown }).documents
  return Array.isArray(documents) && documents.length === 0
}
