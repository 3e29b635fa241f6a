import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { AsteriaError, EXIT_CODES, type AsteriaErrorCode } from '../../core/errors.js'
import type { MachineMessage, MachineOutcome, MachineSpec, SharedCallTimes } from './machine-protocol.js'

export interface MachinesReplay {
  /** Each machine's outcomes, in its requests' order. */
  outcomes: MachineOutcome[][]
  embedder: string
  judge: string
  /** Notices and warnings the machines reported (judge fallback, shared-tier outages), once each. */
  notes: string[]
  /** Every machine's shared-tier calls (none when the caches were isolated). */
  sharedCalls: SharedCallTimes
}

interface RunningMachine {
  child: ChildProcessWithoutNullStreams
  next(): Promise<MachineMessage>
  /** Resolves when the process has exited with code 0. */
  exited: Promise<void>
  /** Resolves when the process has ended, however. */
  closed: Promise<void>
}

/**
 * Runs one process per spec, waits until every one is ready (embedder loaded, stores open),
 * starts them together, and collects their outcomes. `onDone` hears each machine's running count.
 * An abort of `signal`, or a machine stopped by Ctrl+C, stops them all with an INTERRUPTED error.
 */
export async function replayOnMachines(specs: MachineSpec[], onDone: (machine: number, done: number) => void, signal?: AbortSignal): Promise<MachinesReplay> {
  const machines = specs.map((spec) => startMachine(spec))
  const stopAll = () => {
    for (const { child } of machines) {
      if (child.exitCode !== null || child.signalCode !== null) continue
      child.kill()
      setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'), 5000).unref()
    }
  }
  signal?.addEventListener('abort', stopAll, { once: true })
  if (signal?.aborted) stopAll()
  try {
    const ready = await Promise.all(machines.map((machine) => nextOfType(machine, 'ready')))
    for (const machine of machines) machine.child.stdin.end('go\n')
    const finished = await Promise.all(
      machines.map(async (machine, i) => {
        for (;;) {
          const message = await machine.next()
          if (message.type === 'progress') onDone(i, message.done)
          else if (message.type === 'done') {
            onDone(i, message.outcomes.length)
            return message
          } else throw failure(message)
        }
      }),
    )
    await Promise.all(machines.map((machine) => machine.exited))
    return {
      outcomes: finished.map((f) => f.outcomes),
      embedder: ready[0].embedder,
      judge: ready[0].judge,
      notes: [...new Set([...ready.flatMap((r) => r.notices), ...finished.flatMap((f) => f.warnings)])],
      sharedCalls: {
        lookups: finished.flatMap((f) => f.sharedCalls?.lookups ?? []),
        writes: finished.flatMap((f) => f.sharedCalls?.writes ?? []),
      },
    }
  } catch (error) {
    // A terminal's Ctrl+C reaches the machines too: one stopped by it means the user stopped the bench.
    const stoppedByUser = machines.some((machine) => machine.child.signalCode === 'SIGINT' || machine.child.signalCode === 'SIGTERM')
    if (signal?.aborted || stoppedByUser) throw new AsteriaError('INTERRUPTED', `Interrupted: stopped the ${machines.length} bench machines.`)
    throw error
  } finally {
    signal?.removeEventListener('abort', stopAll)
    stopAll()
    // No machine outlives the bench: wait for each to end (a stuck one is killed after 5 s).
    await Promise.all(machines.map((machine) => machine.closed))
  }
}

/** The compiled worker under node; from the sources (scripts run with tsx), the .ts file under tsx. */
function workerArgs(): string[] {
  const compiled = fileURLToPath(new URL('./machine-worker.js', import.meta.url))
  if (existsSync(compiled)) return [compiled]
  return ['--import', 'tsx', fileURLToPath(new URL('./machine-worker.ts', import.meta.url))]
}

function startMachine(spec: MachineSpec): RunningMachine {
  const child = spawn(process.execPath, workerArgs(), { stdio: ['pipe', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)))
  child.stdin.on('error', () => {})
  child.stdin.write(JSON.stringify(spec) + '\n')
  const messages: MachineMessage[] = []
  const waiting: ((message: MachineMessage) => void)[] = []
  createInterface({ input: child.stdout }).on('line', (line) => {
    let message: MachineMessage
    try {
      message = JSON.parse(line) as MachineMessage
    } catch {
      // Something else wrote to the worker's stdout: keep it with the stderr for the error message.
      stderr = (stderr + line + '\n').slice(-4000)
      return
    }
    const reader = waiting.shift()
    if (reader) reader(message)
    else messages.push(message)
  })
  const exited = new Promise<void>((resolve, reject) =>
    child.on('close', (code, signal) => {
      if (code === 0) resolve()
      else reject(new AsteriaError('STORE', `A bench machine process exited (${signal ?? `code ${code}`}) before it finished.${stderr ? `\n${stderr.trim()}` : ''}`))
    }),
  )
  exited.catch(() => undefined)
  const closed = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.on('close', () => resolve())
  })
  const endedEarly = exited.then(() => Promise.reject(new AsteriaError('STORE', 'A bench machine process exited before it finished.')))
  endedEarly.catch(() => undefined)
  return {
    child,
    exited,
    closed,
    next: () => {
      const queued = messages.shift()
      return queued ? Promise.resolve(queued) : Promise.race([new Promise<MachineMessage>((resolve) => waiting.push(resolve)), endedEarly])
    },
  }
}

async function nextOfType<T extends MachineMessage['type']>(machine: RunningMachine, type: T): Promise<Extract<MachineMessage, { type: T }>> {
  const message = await machine.next()
  if (message.type !== type) throw failure(message)
  return message as Extract<MachineMessage, { type: T }>
}

function failure(message: MachineMessage): AsteriaError {
  if (message.type !== 'error') return new AsteriaError('STORE', `A bench machine answered "${message.type}" out of turn.`)
  const code = message.code !== null && message.code in EXIT_CODES ? (message.code as AsteriaErrorCode) : 'STORE'
  return new AsteriaError(code, `A bench machine failed: ${message.message}`, { suggestions: message.suggestions })
}
