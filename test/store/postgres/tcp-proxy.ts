import { createServer, connect, type AddressInfo, type Socket } from 'node:net'

/**
 * A loopback TCP proxy in front of the test database that can take it away: `cut` drops every
 * connection and refuses new ones (a stopped or unreachable server), `stall` keeps connections
 * open but forwards nothing (a server that stopped answering), `restore` brings it back.
 * Works the same in front of PGlite and a real PostgreSQL.
 */
export interface CuttableProxy {
  /** `url` with host and port pointing at the proxy. */
  via(url: string): string
  cut(): void
  stall(): void
  restore(): void
  close(): Promise<void>
}

export async function startProxy(targetUrl: string): Promise<CuttableProxy> {
  const target = new URL(targetUrl)
  let mode: 'open' | 'cut' | 'stalled' = 'open'
  const pairs = new Set<{ client: Socket; upstream: Socket; held: [Socket, Buffer][] }>()
  const server = createServer((client) => {
    if (mode === 'cut') return void client.destroy()
    const upstream = connect(Number(target.port || 5432), target.hostname)
    const pair = { client, upstream, held: [] as [Socket, Buffer][] }
    pairs.add(pair)
    const forward = (to: Socket) => (data: Buffer) => (mode === 'stalled' ? pair.held.push([to, data]) : to.write(data))
    client.on('data', forward(upstream))
    upstream.on('data', forward(client))
    const drop = () => {
      pairs.delete(pair)
      client.destroy()
      upstream.destroy()
    }
    client.on('close', drop).on('error', drop)
    upstream.on('close', drop).on('error', drop)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    via(url) {
      const u = new URL(url)
      u.hostname = '127.0.0.1'
      u.port = String(port)
      return u.toString()
    },
    cut() {
      mode = 'cut'
      for (const { client, upstream } of pairs) (client.destroy(), upstream.destroy())
    },
    stall() {
      mode = 'stalled'
    },
    restore() {
      mode = 'open'
      for (const pair of pairs) for (const [to, data] of pair.held.splice(0)) to.write(data)
    },
    async close() {
      mode = 'cut'
      for (const { client, upstream } of pairs) (client.destroy(), upstream.destroy())
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
