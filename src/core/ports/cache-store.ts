import type { SemanticElement } from '../semantic-element.js'
import type { SessionLog } from './session-log.js'

export interface NearestCandidate {
  element: SemanticElement
  /** Cosine similarity, 1 = same direction. */
  similarity: number
}

export type ElementSort = 'hits' | 'cost' | 'recent'

export interface ElementFilter {
  namespace?: string
  tool?: string
  /** Substring of the query text. */
  search?: string
  /** true: only expired; false: only live; undefined: both. */
  expired?: boolean
  sort?: ElementSort
  limit?: number
  now: number
}

export interface StoreSummary {
  elements: number
  expired: number
  bytes: number
  byTool: Record<string, number>
  embedders: { fingerprint: string; model: string; dimensions: number; elements: number }[]
}

export interface StoredThresholds {
  tauSim: number
  tauJudge: number
  updatedAt: number
}

export type NewElement = Omit<SemanticElement, 'id' | 'embedding'>

/** The knowledge source, and the scope key with it, of an element stored before sources were recorded. */
export type SourceAdopter = (element: SemanticElement) => { source: string; scopeKey: string }

/**
 * Where Semantic Elements live. The core talks only to this interface (SQLite today, a shared
 * PostgreSQL tier later); methods are async so a networked store fits behind it.
 */
export interface CacheStore {
  readonly location: string
  registerEmbedder(info: { fingerprint: string; model: string; dimensions: number }): Promise<void>
  /** Stores the elements and their vectors atomically: all of them or none. */
  insert(elements: { element: NewElement; embedding: Float32Array }[]): Promise<SemanticElement[]>
  findExact(scopeKey: string, normalizedQuery: string, now: number): Promise<SemanticElement | undefined>
  nearest(embedder: string, scopeKey: string, embedding: Float32Array, k: number, now: number): Promise<NearestCandidate[]>
  get(id: number): Promise<SemanticElement | undefined>
  getEmbedding(id: number): Promise<Float32Array | undefined>
  recordHit(id: number, now: number): Promise<void>
  delete(ids: number[]): Promise<number>
  list(filter: ElementFilter): Promise<SemanticElement[]>
  /** Every element, oldest first, for export. */
  all(namespace?: string): Promise<SemanticElement[]>
  clear(namespace?: string): Promise<number>
  addCounters(namespace: string, deltas: Record<string, number>): Promise<void>
  counters(namespace?: string): Promise<Record<string, number>>
  summary(now: number, namespace?: string): Promise<StoreSummary>
  getThresholds(embedder: string, policy: string): Promise<StoredThresholds | undefined>
  setThresholds(embedder: string, policy: string, thresholds: StoredThresholds): Promise<void>
  close(): Promise<void>
  /**
   * Optional: moves the elements stored before sources were recorded into the scope `adopt`
   * names (same ids and vectors), once; returns how many moved.
   */
  adoptUnrecordedSources?(adopt: SourceAdopter): Promise<number>
  /**
   * Optional, for single flight across processes and machines: claims the right to fetch this
   * question for `ttlMs` (a crashed holder's claim lapses then). null while another process
   * holds it. Stores without it rely on in-process single flight alone.
   */
  acquireLease?(scopeKey: string, normalizedQuery: string, ttlMs: number): Promise<Lease | null>
  /**
   * Optional: runs `fn` unless another process runs the job `name` (eviction, calibration) right
   * now; the claim is renewed while `fn` runs and lapses `ttlMs` after a crash.
   */
  withExclusive?<T>(name: string, ttlMs: number, fn: () => Promise<T>): Promise<ExclusiveOutcome<T>>
  /** Optional: where agent sessions run on this store are recorded (`asteria run`, `asteria sessions`). */
  sessionLog?(): SessionLog
}

export interface Lease {
  /** Extends the claim by `ttlMs` from now; false when it had lapsed and another process took it. */
  renew(ttlMs: number): Promise<boolean>
  release(): Promise<void>
}

export type ExclusiveOutcome<T> = { ran: true; value: T } | { ran: false }
