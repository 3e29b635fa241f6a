import type { DecisionRecord } from '../decision.js'
import { readQuestion } from '../guard/guard.js'
import { normalizeQuery } from '../normalize.js'
import { sineLookup, type SineResult } from '../sine.js'
import type { CacheContext } from './cache-context.js'
import type { CacheOptions } from './cache-options.js'

/**
 * The look-up path of a cache: embeds a question as the guard reads it and runs the two-stage
 * look-up in a scope; a failing or slow judge is reported once per cache.
 */
export class CacheLookup {
  private judgeWarned = false

  constructor(
    private readonly ctx: CacheContext,
    private readonly options: CacheOptions,
  ) {}

  /**
   * Embeds a question as the guard reads it: a spoken self-correction's taken-back words
   * ("empire, sorry, name") would otherwise pull its vector away from the question it asks.
   */
  async embedOne(text: string): Promise<Float32Array> {
    const asked = this.ctx.policy.useGuard ? readQuestion(text, this.options.guard).repaired || text : text
    const [vector] = await this.ctx.embedder.embed([asked])
    return vector
  }

  async run(text: string, key: string, maxAgeMs?: number): Promise<SineResult> {
    let embedding: Promise<Float32Array> | undefined
    const { ctx, options } = this
    const found = await sineLookup(
      {
        query: text,
        normalizedQuery: normalizeQuery(text),
        scopeKey: key,
        embedder: ctx.embedder.fingerprint,
        embedding: () => (embedding ??= this.embedOne(text)),
        notBefore: maxAgeMs === undefined ? undefined : ctx.clock.now() - maxAgeMs,
      },
      {
        store: ctx.store,
        clock: ctx.clock,
        policy: ctx.policy,
        thresholds: await ctx.thresholds(),
        k: options.k ?? 8,
        guard: options.guard,
        judgeTimeoutMs: options.judgeTimeoutMs ?? 2000,
      },
    )
    this.warnOnceAboutJudge(found.decision)
    return found
  }

  /** A failing or slow judge turns look-ups into misses; the user hears about it once per cache. */
  private warnOnceAboutJudge(decision: DecisionRecord): void {
    const judge = decision.judge
    if (this.judgeWarned || !judge || (judge.verdict !== 'error' && judge.verdict !== 'late')) return
    this.judgeWarned = true
    const why = judge.verdict === 'late' ? `did not answer within its deadline (${judge.ms.toFixed(0)} ms)` : `failed (${judge.error ?? 'error'})`
    this.options.onWarning?.(`The ${judge.name} judge ${why}; such look-ups are served as misses (the source is asked) until it recovers.`)
  }
}
