import { systemClock, type Clock } from '../core/clock.js'
import { AsteriaError } from '../core/errors.js'
import type { KnowledgeSource, SourceCall } from '../core/ports/knowledge-source.js'

export interface CircuitBreakerOptions {
  /** Consecutive failed calls (after their own retries) that open the circuit. */
  failures?: number
  /** How long an open circuit fails fast before one trial call is let through, ms. */
  cooldownMs?: number
  clock?: Clock
}

/**
 * Stops hammering a source that keeps failing: after `failures` failed calls in a row, calls
 * fail at once for `cooldownMs` (the agent gets a clear error instead of waiting out timeouts
 * and retries each time); then one trial call decides whether it closes again.
 */
export class CircuitBreakerSource implements KnowledgeSource {
  readonly name: string
  readonly pricePerCallUsd: number
  private consecutiveFailures = 0
  private openUntil = 0
  private readonly failures: number
  private readonly cooldownMs: number
  private readonly clock: Clock

  constructor(
    private readonly inner: KnowledgeSource,
    options: CircuitBreakerOptions = {},
  ) {
    this.name = inner.name
    this.pricePerCallUsd = inner.pricePerCallUsd
    this.failures = options.failures ?? 5
    this.cooldownMs = options.cooldownMs ?? 30_000
    this.clock = options.clock ?? systemClock
  }

  get state(): 'closed' | 'open' | 'half-open' {
    if (this.consecutiveFailures < this.failures) return 'closed'
    return this.clock.now() < this.openUntil ? 'open' : 'half-open'
  }

  async search(query: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<SourceCall> {
    if (this.state === 'open') {
      const seconds = Math.ceil((this.openUntil - this.clock.now()) / 1000)
      throw new AsteriaError('SOURCE', `The ${this.name} source failed ${this.consecutiveFailures} times in a row; not calling it for another ${seconds} s.`, {
        suggestions: [`Check that ${this.name} is up (asteria doctor), or wait for the next trial call.`],
      })
    }
    try {
      const call = await this.inner.search(query, args, signal)
      this.consecutiveFailures = 0
      return call
    } catch (error) {
      if (!signal?.aborted) {
        this.consecutiveFailures++
        if (this.consecutiveFailures >= this.failures) this.openUntil = this.clock.now() + this.cooldownMs
      }
      throw error
    }
  }

  close(): void | Promise<void> {
    return this.inner.close?.()
  }
}
