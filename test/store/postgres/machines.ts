import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const MACHINE_SCRIPT = fileURLToPath(new URL('./machine-process.ts', import.meta.url))

/** A child `node` process standing in for one machine (see machine-process.ts). */
export interface Machine {
  /** fetch/lookup a query, sync (catch up now), or exit; resolves with the machine's answer. */
  send(op: 'fetch' | 'lookup' | 'sync' | 'exit', query?: string): Promise<any>
  stderr(): string
  kill(): void
}

export async function startMachine(env: { MACHINE_DB: string; STORE_URL: string; SOURCE_URL: string }): Promise<Machine> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', MACHINE_SCRIPT], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const waiting: ((value: any) => void)[] = []
  const exited = new Promise<never>((_, reject) =>
    child.on('exit', (code) => reject(new Error(`machine exited with ${code}\n${stderr}`))),
  )
  exited.catch(() => undefined)
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.(JSON.parse(line)))
  const next = () => Promise.race([new Promise<any>((resolve) => waiting.push(resolve)), exited])
  await next()
  return {
    send: (op, query) => {
      const reply = next()
      child.stdin.write(JSON.stringify({ op, query }) + '\n')
      return reply
    },
    stderr: () => stderr,
    kill: () => void child.kill('SIGKILL'),
  }
}

export interface CountingSource {
  url: string
  calls: string[]
  /** How long the source takes to answer, ms (settable per test). */
  delayMs: number
  close(): Promise<void>
}

/** A loopback knowledge source that counts its calls and answers after `delayMs`. */
export async function startCountingSource(delayMs: number): Promise<CountingSource> {
  const calls: string[] = []
  const server: Server = createServer((request, response) => {
    const query = new URL(request.url ?? '/', 'http://x').searchParams.get('q') ?? ''
    calls.push(query)
    const answer = () => response.setHeader('content-type', 'application/json').end(JSON.stringify({ documents: [{ id: query, text: `answer to ${query}` }] }))
    setTimeout(answer, source.delayMs)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const source: CountingSource = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/search`,
    calls,
    delayMs,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
  return source
}
