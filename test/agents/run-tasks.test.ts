import { describe, expect, it, vi } from 'vitest'
import { runTasks } from '../../src/agents/run-tasks.js'
import type { TaskAgent } from '../../src/agents/task-agent.js'
import { openSessionLog } from '../../src/store/session-store.js'
import { recordingSource, useTestAsteria } from './agent-fixtures.js'

const openTestAsteria = useTestAsteria()

/** An agent whose tasks finish in the order the test releases them. */
function gatedAgent(): TaskAgent & { release(id: string): void; started: string[] } {
  const gates = new Map<string, () => void>()
  const started: string[] = []
  return {
    name: 'gated',
    started,
    release: (id) => gates.get(id)?.(),
    async run(task, tools) {
      started.push(task.id)
      await new Promise<void>((resolve) => gates.set(task.id, resolve))
      await tools.lookup('search', task.question)
      return { answer: task.id, evidence: task.id, steps: 0 }
    },
  }
}

describe('runTasks', () => {
  it('runs up to --concurrency tasks at once and reports them in task order', async () => {
    // Given three tasks and an agent that waits until the test releases each one
    const asteria = await openTestAsteria()
    asteria.useSource('search', recordingSource())
    const agent = gatedAgent()
    const finished: string[] = []
    const tasks = ['a', 'b', 'c'].map((id) => ({ id, kind: 'search' as const, question: `question ${id}` }))
    // When they run two at a time
    const running = runTasks({
      asteria, log: openSessionLog(asteria.store), tasks, taskSet: 'test', agent, sources: {}, concurrency: 2,
      onTaskDone: (task) => finished.push(task.id),
    })
    await vi.waitFor(() => expect(agent.started).toEqual(['a', 'b']))
    agent.release('b')
    await vi.waitFor(() => expect(agent.started).toEqual(['a', 'b', 'c']))
    agent.release('c')
    agent.release('a')
    const detail = await running
    // Then two started at once, they finished in the order released, tasks are reported in task
    // order and look-ups in the order they happened
    expect(finished).toEqual(['b', 'c', 'a'])
    expect(detail.tasks.map((t) => [t.seq, t.id])).toEqual([[1, 'a'], [2, 'b'], [3, 'c']])
    expect(detail.lookups.map((l) => [l.seq, l.taskSeq])).toEqual([[1, 2], [2, 3], [3, 1]])
  })
})
