import type { ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CliSandbox } from './run-cli.js'

/** How long the simulated source takes in these runs: far beyond any test's timeout, so a task waiting on it is still running when the test acts. */
export const SLOW_SOURCE_MS = '600000'

const CACHED = 'what is dna'

/**
 * A task file of two tasks: the first asks a question already in the cache (stored here with no
 * latency), so it finishes at once; the second asks a new one and waits on the slow source.
 */
export async function cachedThenSlowTasks(cli: CliSandbox, args: string[] = []): Promise<string> {
  await cli.json(['query', CACHED, ...args])
  const file = join(cli.dir, 'tasks.jsonl')
  writeFileSync(file, `{"id": "t1", "kind": "search", "question": "${CACHED}"}\n{"id": "t2", "kind": "search", "question": "who wrote hamlet"}\n`)
  return file
}

/** Calls `then` once the child's output on `stream` matches `pattern` (no timing guesses). */
export function onOutput(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp, then: () => void): void {
  let seen = ''
  let done = false
  child[stream]!.on('data', (chunk: Buffer | string) => {
    seen += String(chunk)
    if (done || !pattern.test(seen)) return
    done = true
    then()
  })
}
