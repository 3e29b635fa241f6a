import { EventEmitter } from 'node:events'
import { request as httpRequest } from 'node:http'
import { describe, expect, it } from 'vitest'
import type { Asteria } from '../../../src/asteria.js'
import { closeOnSignals } from '../../../src/core/util/close-on-signals.js'
import { openStore } from '../../../src/store/sqlite/sqlite-store.js'
import { AUTHOR, call, gate, useService } from '../../serve/service-fixture.js'

describe('RunningService.close', () => {
  const start = useService()

  it('keeps an acknowledged store: the element is in the file after close and reopen', async () => {
    // Given an element stored and acknowledged (201)
    const { url, service, asteria, db } = await start()
    const stored = await call(url, 'POST', '/v1/store', { json: { query: AUTHOR, result: 'Thomas Jefferson', staticity: 10 } })
    expect(stored.status).toBe(201)

    // When the service is closed, then the cache, and the file is opened again
    await service.close()
    await asteria.close()
    const store = openStore(db)
    const element = await store.get(stored.body.element.id)
    await store.close()

    // Then the element is there, as acknowledged
    expect(element).toMatchObject({ query: AUTHOR, result: 'Thomas Jefferson', namespace: 'default' })
  })

  it('finishes a request in flight before closing, and refuses new connections', async () => {
    // Given a fetch held inside the cache until released (its source answers at once then)
    const entered = gate()
    const held = gate()
    const { url, service, asteria } = await start({
      wrap: (real): Asteria => ({
        ...real,
        ask: async (query, options) => {
          entered.open()
          await held.promise
          return real.cache.fetchThrough(query, async () => ({ result: 'Thomas Jefferson', costUsd: 0.005 }), options)
        },
      }),
    })
    const inFlight = call(url, 'POST', '/v1/fetch', { json: { query: AUTHOR } })
    await entered.promise

    // When the service is closed while it runs, a new request is tried, and the fetch is released
    const closing = service.close()
    const refused = await freshConnection(url)
    held.open()
    const answer = await inFlight
    await closing

    // Then the fetch was answered and stored, and the new connection was not served
    expect(service.inflight()).toBe(0)
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({ hit: false, source: 'remote' })
    expect(['ECONNREFUSED', 'ECONNRESET', 503]).toContain(refused)
    expect((await asteria.cache.lookup(AUTHOR)).decision.hit).toBe(true)
  })
})

/** GET /healthz on a new TCP connection: the connection error's code, or the status. */
function freshConnection(url: string): Promise<string | number | undefined> {
  return new Promise((resolve) => {
    const req = httpRequest(`${url}/healthz`, { agent: false }, (res) => {
      res.resume()
      resolve(res.statusCode)
    })
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code))
    req.end()
  })
}

describe('closeOnSignals', () => {
  it('closes once on the first SIGINT or SIGTERM and leaves later signals to Node', async () => {
    // Given a close function wired to a signal source
    const signals = new EventEmitter()
    let closes = 0
    closeOnSignals(async () => void closes++, signals)

    // When SIGTERM arrives, then SIGINT
    signals.emit('SIGTERM')
    const listenersAfter = signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')
    signals.emit('SIGINT')

    // Then close ran once and no handler is left (a second Ctrl+C stops the process at once)
    expect(closes).toBe(1)
    expect(listenersAfter).toBe(0)
  })

  it('removes its handlers when disposed', () => {
    // Given handlers installed
    const signals = new EventEmitter()
    let closes = 0
    const dispose = closeOnSignals(async () => void closes++, signals)

    // When they are removed and a signal arrives
    dispose()
    signals.emit('SIGINT')

    // Then nothing closes
    expect(closes).toBe(0)
  })
})
