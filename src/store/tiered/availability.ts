import { isAsteriaError } from '../../core/errors.js'

export const OFFLINE = Symbol('shared tier offline')

export interface AvailabilityOptions {
  /** A shared-tier call slower than this counts as an outage, ms. */
  timeoutMs: number
  /** After an outage, how long calls stay local before the shared tier is tried again, ms. */
  retryAfterMs: number
  /** Told once, when the shared tier first becomes unreachable in this process. */
  onWarning?: (message: string) => void
  sharedLocation: string
  localLocation: string
}

/**
 * Whether the shared tier is worth asking. A failed or slow call marks it offline: calls then
 * skip it (answering from the local tier) until `retryAfterMs` has passed; the first call that
 * succeeds again marks it back online, and the caller catches up.
 */
export class SharedTierAvailability {
  private offlineUntil: number | undefined
  private warned = false

  constructor(private readonly options: AvailabilityOptions) {}

  get online(): boolean {
    return this.offlineUntil === undefined
  }

  /** Runs `op` within the timeout unless the tier is resting after an outage; OFFLINE when it failed. */
  async call<T>(op: () => Promise<T>, force = false, timeoutMs = this.options.timeoutMs): Promise<T | typeof OFFLINE> {
    if (!force && this.offlineUntil !== undefined && performance.now() < this.offlineUntil) return OFFLINE
    try {
      const value = await withTimeout(op(), timeoutMs)
      this.offlineUntil = undefined
      return value
    } catch (error) {
      // A wrong vector size or a bad input is the caller's to see; anything else is an outage.
      if (isAsteriaError(error) && error.code !== 'STORE') throw error
      this.markOffline(error)
      return OFFLINE
    }
  }

  private markOffline(error: unknown): void {
    this.offlineUntil = performance.now() + this.options.retryAfterMs
    if (this.warned) return
    this.warned = true
    const { sharedLocation, localLocation } = this.options
    const reason =
      error instanceof SharedTierTimeout
        ? `The shared cache at ${sharedLocation} did not answer within ${error.ms} ms`
        : isAsteriaError(error)
          ? error.message.replace(/\.$/, '')
          : `The shared cache at ${sharedLocation} failed: ${(error as Error).message}`
    this.options.onWarning?.(`${reason}. Serving from the local cache at ${localLocation} and queueing new elements until it is back.`)
  }
}

class SharedTierTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`)
  }
}

export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SharedTierTimeout(ms)), ms)
  })
  // The slow call may still fail later; that outcome is already accounted for.
  work.catch(() => {})
  return Promise.race([work, late]).finally(() => clearTimeout(timer))
}
