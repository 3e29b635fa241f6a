import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import pg from 'pg'

/**
 * A PostgreSQL with pgvector for tests, reached over the real wire protocol with `pg`: PGlite
 * (WASM) served on a loopback port by pglite-socket, or — when ASTERIA_TEST_PG_URL is set — that
 * real server. Each test takes a fresh schema (`?schema=`), dropped on close, so runs against a
 * real database neither collide nor leave tables behind.
 *
 * PGlite is one backend, so connections are multiplexed onto it. pglite-socket 0.2.17
 * (PGLiteSocketServer) does that one protocol message at a time, which lets two clients'
 * extended-protocol queries interleave (Parse of one between Bind and Execute of another:
 * "portal \"\" does not exist" under concurrent load). This server runs each client's messages up
 * to its Sync (or a simple Query) as one unit instead, and while a client is inside a
 * transaction it runs only that client's units. Session state (SET, advisory locks) stays
 * shared by every connection, unlike a real server.
 */
export interface TestPostgres {
  /** 'pglite' or 'external' (ASTERIA_TEST_PG_URL). */
  kind: 'pglite' | 'external'
  /** Connection URL without a schema. */
  url: string
  /** A URL whose schema no other test uses. */
  freshUrl(): string
  close(): Promise<void>
}

export const TEST_PG_URL_ENV = 'ASTERIA_TEST_PG_URL'

export async function startTestPostgres(): Promise<TestPostgres> {
  const external = process.env[TEST_PG_URL_ENV]
  const schemas: string[] = []
  const freshUrl = (base: string) => () => {
    const schema = `asteria_t_${randomBytes(6).toString('hex')}`
    schemas.push(schema)
    const url = new URL(base)
    url.searchParams.set('schema', schema)
    return url.toString()
  }
  if (external) {
    return {
      kind: 'external',
      url: external,
      freshUrl: freshUrl(external),
      close: async () => {
        const client = new pg.Client({ connectionString: external })
        await client.connect()
        for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
        await client.end()
      },
    }
  }
  const db = await bootPglite()
  const server = await servePglite(db)
  const url = `postgres://postgres:pglite-test-secret@127.0.0.1:${server.port}/postgres`
  return {
    kind: 'pglite',
    url,
    freshUrl: freshUrl(url),
    close: async () => {
      await server.close()
      await db.close()
    },
  }
}

/**
 * A new PGlite with pgvector. initdb takes most of a boot (about 6 s against 1 s), so its result
 * is kept as a tarball in the temp folder, per PGlite version, and later boots start from it.
 */
async function bootPglite(): Promise<PGlite> {
  const manifest = new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url)
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }
  const initialized = join(tmpdir(), `asteria-test-pglite-${version}-initdb.tar`)
  if (existsSync(initialized)) {
    return PGlite.create({ extensions: { vector }, loadDataDir: new Blob([readFileSync(initialized)]) })
  }
  const db = await PGlite.create({ extensions: { vector } })
  const dump = Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer())
  const partial = `${initialized}.${process.pid}`
  writeFileSync(partial, dump)
  renameSync(partial, initialized)
  return db
}

const SSL_REQUEST = 80877103
const CANCEL_REQUEST = 80877102
const UNIT_END = new Set(['S', 'Q', 'H'].map((c) => c.charCodeAt(0)))
const TERMINATE = 'X'.charCodeAt(0)

interface Connection {
  socket: Socket
  closed: boolean
}

/** Serves `db` over the Postgres wire protocol on a loopback port, one client unit at a time. */
export async function servePglite(db: PGlite): Promise<{ port: number; close(): Promise<void> }> {
  const units: { connection: Connection; message: Uint8Array }[] = []
  const connections = new Set<Connection>()
  let owner: Connection | undefined
  let pumping = false

  const pump = async () => {
    if (pumping) return
    pumping = true
    try {
      for (;;) {
        if (owner?.closed) {
          await db.exec('ROLLBACK').catch(() => undefined)
          owner = undefined
        }
        const next = owner ? units.findIndex((u) => u.connection === owner) : units.length > 0 ? 0 : -1
        if (next < 0) break
        const [{ connection, message }] = units.splice(next, 1)
        if (connection.closed) continue
        const out: Buffer[] = []
        await db.runExclusive(() => db.execProtocolRawStream(message, { onRawData: (data) => void out.push(Buffer.from(data)) }))
        if (!connection.closed) connection.socket.write(Buffer.concat(out))
        owner = db.isInTransaction() ? connection : undefined
      }
    } finally {
      pumping = false
    }
  }

  const server = createServer((socket) => {
    const connection: Connection = { socket, closed: false }
    connections.add(connection)
    let buffer = Buffer.alloc(0)
    let pending: Buffer[] = []
    let started = false
    const close = () => {
      connection.closed = true
      connections.delete(connection)
      socket.destroy()
      void pump()
    }
    socket.on('close', close).on('error', close)
    socket.on('data', (data) => {
      buffer = Buffer.concat([buffer, data])
      for (;;) {
        if (!started) {
          if (buffer.length < 8 || buffer.length < buffer.readInt32BE(0)) break
          const length = buffer.readInt32BE(0)
          const code = buffer.readInt32BE(4)
          const message = buffer.subarray(0, length)
          buffer = buffer.subarray(length)
          if (code === SSL_REQUEST) socket.write('N')
          else if (code === CANCEL_REQUEST) return close()
          else {
            started = true
            units.push({ connection, message: new Uint8Array(message) })
          }
          continue
        }
        if (buffer.length < 5 || buffer.length < 1 + buffer.readInt32BE(1)) break
        const length = 1 + buffer.readInt32BE(1)
        const type = buffer[0]
        const message = buffer.subarray(0, length)
        buffer = buffer.subarray(length)
        if (type === TERMINATE) return close()
        pending.push(message)
        if (UNIT_END.has(type)) {
          units.push({ connection, message: new Uint8Array(Buffer.concat(pending)) })
          pending = []
        }
      }
      void pump()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const connection of connections) connection.socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      while (pumping) await new Promise((resolve) => setImmediate(resolve))
    },
  }
}
