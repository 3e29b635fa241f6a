import { describe, expect, it } from 'vitest'
import { DeadlineExceededError, ManualTimers, Scheduler, judgeBudgetMs } from '../../src/core/scheduler.js'

/** A task the test finishes by hand, recording when it started. */
function manualTask(log: string[], name: string) {
  let finish!: (value: string) => void
  const done = new Promise<string>((resolve) => (finish = resolve))
  return { run: () => (log.push(`start ${name}`), done), finish: () => finish(name) }
}

/** Lets settled promises run their callbacks (no wall-clock wait). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve))

describe('Scheduler', () => {
  it('starts waiting agent work before waiting judge work, whatever the arrival order', async () => {
    // Given one slot held by an agent request
    const log: string[] = []
    const scheduler = new Scheduler({ slots: 1, judgeConcurrency: 1 })
    const first = manualTask(log, 'agent-1')
    const judge = manualTask(log, 'judge-1')
    const second = manualTask(log, 'agent-2')
    const running = scheduler.run('agent', first.run)
    // When judge work arrives before another agent request
    const judged = scheduler.run('judge', judge.run)
    const asked = scheduler.run('agent', second.run)
    expect(scheduler.snapshot().queued).toEqual({ agent: 1, judge: 1 })
    first.finish()
    await running
    await settle()
    // Then the agent request goes next and the judge only after it
    expect(log).toEqual(['start agent-1', 'start agent-2'])
    second.finish()
    await asked
    await settle()
    expect(log).toEqual(['start agent-1', 'start agent-2', 'start judge-1'])
    judge.finish()
    await expect(judged).resolves.toBe('judge-1')
  })

  it('keeps judge work within its concurrency limit while agent work is not limited by it', async () => {
    // Given a limit of 2 judge requests and plenty of slots
    const log: string[] = []
    const scheduler = new Scheduler({ judgeConcurrency: 2 })
    const judges = [1, 2, 3].map((i) => manualTask(log, `judge-${i}`))
    const agent = manualTask(log, 'agent')
    // When three judge requests and an agent request arrive
    const results = judges.map((task) => scheduler.run('judge', task.run))
    const agentResult = scheduler.run('agent', agent.run)
    // Then two judges and the agent run, the third judge waits
    expect(scheduler.snapshot()).toMatchObject({ running: { agent: 1, judge: 2 }, queued: { judge: 1 } })
    judges[0].finish()
    await results[0]
    await settle()
    // And it starts when one finishes
    expect(scheduler.snapshot()).toMatchObject({ running: { judge: 2 }, queued: { judge: 0 } })
    for (const task of [...judges, agent]) task.finish()
    await Promise.all([...results, agentResult])
    expect(scheduler.snapshot().running).toEqual({ agent: 0, judge: 0 })
  })

  it('holds judge work while an agent request runs when judgeBesideAgent is false', async () => {
    const log: string[] = []
    const scheduler = new Scheduler({ judgeBesideAgent: false })
    const agent = manualTask(log, 'agent')
    const judge = manualTask(log, 'judge')
    const agentResult = scheduler.run('agent', agent.run)
    const judged = scheduler.run('judge', judge.run)
    expect(log).toEqual(['start agent'])
    agent.finish()
    await agentResult
    await settle()
    expect(log).toEqual(['start agent', 'start judge'])
    judge.finish()
    await judged
  })

  it('drops judge work still queued at its deadline, on the injected clock, and never starts it', async () => {
    // Given a busy judge slot and a queued judge task with a deadline 100 ms away
    const timers = new ManualTimers(1_000)
    const log: string[] = []
    const scheduler = new Scheduler({ judgeConcurrency: 1, timers })
    const busy = manualTask(log, 'busy')
    const queued = manualTask(log, 'queued')
    const running = scheduler.run('judge', busy.run)
    const waiting = scheduler.run('judge', queued.run, { deadlineAt: 1_100 })
    // When the clock passes the deadline
    timers.advance(99)
    expect(scheduler.snapshot().queued.judge).toBe(1)
    timers.advance(1)
    // Then the queued task is rejected as late, counted, and never started
    await expect(waiting).rejects.toBeInstanceOf(DeadlineExceededError)
    expect(scheduler.snapshot()).toMatchObject({ queued: { judge: 0 }, dropped: 1 })
    busy.finish()
    await running
    await settle()
    expect(log).toEqual(['start busy'])
  })

  it('rejects at once work whose deadline has already passed, and work whose caller aborts while it waits', async () => {
    const timers = new ManualTimers(500)
    const scheduler = new Scheduler({ judgeConcurrency: 1, timers })
    await expect(scheduler.run('judge', async () => 'x', { deadlineAt: 500 })).rejects.toBeInstanceOf(DeadlineExceededError)
    const busy = manualTask([], 'busy')
    const running = scheduler.run('judge', busy.run)
    const controller = new AbortController()
    const waiting = scheduler.run('judge', async () => 'never', { signal: controller.signal })
    controller.abort(new Error('caller gave up'))
    await expect(waiting).rejects.toThrow('caller gave up')
    busy.finish()
    await running
    expect(scheduler.snapshot()).toMatchObject({ running: { judge: 0 }, queued: { judge: 0 } })
  })

  it('passes a task failure to its caller and frees the slot', async () => {
    const scheduler = new Scheduler({ judgeConcurrency: 1 })
    await expect(scheduler.run('judge', async () => Promise.reject(new Error('model crashed')))).rejects.toThrow('model crashed')
    await expect(scheduler.run('judge', async () => 'next')).resolves.toBe('next')
  })
})

describe('judgeBudgetMs', () => {
  it('is the share of the recorded remote latency, capped by the timeout; unknown latency leaves the cap', () => {
    expect(judgeBudgetMs(400, { timeoutMs: 2000, fraction: 0.5 })).toBe(200)
    expect(judgeBudgetMs(10_000, { timeoutMs: 2000, fraction: 1 })).toBe(2000)
    expect(judgeBudgetMs(undefined, { timeoutMs: 2000, fraction: 0.5 })).toBe(2000)
    expect(judgeBudgetMs(0, { timeoutMs: 1500, fraction: 0.5 })).toBe(1500)
  })
})

describe('ManualTimers', () => {
  it('fires due timers in time order as the clock advances, and not cancelled ones', () => {
    const timers = new ManualTimers(0)
    const fired: string[] = []
    timers.schedule(30, () => fired.push(`b at ${timers.now()}`))
    timers.schedule(10, () => fired.push(`a at ${timers.now()}`))
    const cancel = timers.schedule(20, () => fired.push('cancelled'))
    cancel()
    timers.advance(25)
    expect(fired).toEqual(['a at 10'])
    timers.advance(5)
    expect(fired).toEqual(['a at 10', 'b at 30'])
    expect(timers.now()).toBe(30)
  })
})
