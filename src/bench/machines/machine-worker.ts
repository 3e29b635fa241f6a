/**
 * Entry point of one bench machine: `node dist/bench/machines/machine-worker.js`. Reads its spec
 * (one JSON line) and then "go" from stdin, and reports on stdout (see machine-protocol.ts).
 */
import { createInterface } from 'node:readline'
import { isAsteriaError } from '../../core/errors.js'
import type { MachineMessage, MachineSpec } from './machine-protocol.js'
import { runMachine } from './run-machine.js'

const send = (message: MachineMessage) => void process.stdout.write(JSON.stringify(message) + '\n')
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]()

try {
  const first = await lines.next()
  if (first.done) throw new Error('expected a machine spec on stdin, received end of input')
  await runMachine(JSON.parse(first.value) as MachineSpec, {
    send,
    go: async () => {
      await lines.next()
    },
  })
} catch (error) {
  send({
    type: 'error',
    code: isAsteriaError(error) ? error.code : null,
    message: (error as Error).message ?? String(error),
    suggestions: isAsteriaError(error) ? error.suggestions : [],
  })
  process.exitCode = 1
} finally {
  lines.return?.()
  process.stdin.destroy()
}
