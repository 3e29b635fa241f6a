import { ServeError } from './serve-errors.js'

/** Answers 504 when `work` takes longer than `ms` (0: no deadline); the work itself runs on. */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  if (!(ms > 0)) return work
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new ServeError('TIMEOUT', 504, `The request took longer than the service's limit of ${ms} ms.`, [
        'Retry: a slow knowledge source or embedder may answer next time, and a completed look-up is cached.',
        'The operator can raise the limit with `asteria serve --request-timeout`.',
      ])),
      ms,
    )
  })
  return Promise.race([work, late]).finally(() => clearTimeout(timer))
}
