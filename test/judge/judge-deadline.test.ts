import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualTimers, Scheduler } from '../../src/core/scheduler.js'
import { SemanticCache } from '../../src/core/cache/semantic-cache.js'
import { resolveJudge, type JudgeSettings } from '../../src/judge/create-policy.js'
import { openStore } from '../../src/store/sqlite/sqlite-store.js'
import { FakeEmbedder } from '../helpers/fake-embedder.js'
import { createGate, startOllamaServer, type ChatReply, type OllamaTestServer } from '../helpers/ollama-server.js'
import { useTempDirs } from '../helpers/temp-dir.js'

const tempDir = useTempDirs()
let server: OllamaTestServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

function yesNo(pYes: number): ChatReply {
  return { content: pYes >= 0.5 ? 'yes' : 'no', logprobs: [{ token: pYes >= 0.5 ? 'yes' : 'no', logprob: -0.1, top_logprobs: [{ token: 'yes', logprob: Math.log(pYes) }, { token: 'no', logprob: Math.log(1 - pYes) }] }] }
}

const chatRequests = (s: OllamaTestServer) => s.requests.filter((r) => r.path === '/api/chat').length

/**
 * A cache with the Ollama judge on a manual clock: time moves only when the test says, so the
 * deadline is exercised without waiting. The store reports when a late verdict is counted.
 */
async function judgedCache(s: OllamaTestServer, settings: Partial<JudgeSettings> = {}) {
  const timers = new ManualTimers(1_000_000)
  const choice = await resolveJudge({ kind: 'ollama', host: s.url, model: 'qwen3:0.6b', timeoutMs: 2000, concurrency: 1, deadlineFraction: 0.5, timers, ...settings })
  const store = openStore(join(tempDir(), 'cache.sqlite'))
  let lateCounted!: () => void
  const late = new Promise<void>((resolve) => (lateCounted = resolve))
  const addCounters = store.addCounters.bind(store)
  store.addCounters = async (namespace, deltas) => {
    await addCounters(namespace, deltas)
    if (deltas.judge_late) lateCounted()
  }
  const cache = new SemanticCache({ store, embedder: new FakeEmbedder(), policy: choice.policy, clock: timers, thresholds: { tauSim: 0.5, tauJudge: 0.5 } })
  // The stored question's remote call took 400 ms: with fraction 0.5 the judge gets 200 ms.
  await cache.store({ query: 'who wrote the declaration of independence', result: { documents: [{ text: 'Jefferson' }] }, latencyMs: 400 })
  return { cache, timers, late, scheduler: choice.scheduler!, counters: () => store.counters('default') }
}

describe('Sine with the Ollama judge', () => {
  it('hits when the judge says yes in time, and the decision record shows the guard and the judge', async () => {
    server = await startOllamaServer({ chat: () => yesNo(0.9) })
    const { cache, counters } = await judgedCache(server)
    const { decision } = await cache.lookup('who was the author of the declaration of independence')
    expect(decision).toMatchObject({ hit: true, kind: 'semantic', policy: 'ollama', guard: { pass: true, reasons: [] } })
    expect(decision.judge).toMatchObject({ name: 'ollama qwen3:0.6b', verdict: 'yes', score: expect.closeTo(0.9, 6) })
    expect(decision.candidates[0]).toMatchObject({ outcome: 'hit', judgeScore: expect.closeTo(0.9, 6) })
    expect(decision.reason).toMatch(/guard passed, judge 0\.90 >= 0\.5/)
    expect(await counters()).toMatchObject({ judge_calls: 1, hits_semantic: 1 })
    expect((await counters()).judge_ms).toBeGreaterThan(0)
  })

  it('hits on the JSON verdict of a judge model that reasons although think is false, and the record says why', async () => {
    // Given GPT-OSS as the judge model (its reasoning cannot be turned off): yes/no with logprobs is useless, JSON works
    server = await startOllamaServer({ models: ['gpt-oss:20b'], chat: (request) => (request.format ? { content: '{"answers": true, "confidence": 0.9}' } : yesNo(0.9)) })
    const { cache } = await judgedCache(server, { model: 'gpt-oss:20b' })
    // When a paraphrase is looked up
    const { decision } = await cache.lookup('who was the author of the declaration of independence')
    // Then it hits, and the judge's part of the record says the verdict was JSON because the model reasons
    expect(decision).toMatchObject({ hit: true, judge: { verdict: 'yes', score: expect.closeTo(0.95, 6), reason: expect.stringContaining('a JSON verdict because the model reasons before it answers') } })
  })

  it('misses when the judge says no', async () => {
    server = await startOllamaServer({ chat: () => yesNo(0.2) })
    const { cache } = await judgedCache(server)
    const { decision } = await cache.lookup('who was the author of the declaration of independence')
    expect(decision).toMatchObject({ hit: false, judge: { verdict: 'no', score: expect.closeTo(0.2, 6) } })
    expect(decision.candidates[0].outcome).toBe('judge-rejected')
    expect(decision.reason).toMatch(/judge rejected every candidate/)
  })

  it('turns a verdict that misses its deadline into a miss, and still records it when it arrives', async () => {
    // Given a model that answers only when the test opens the gate
    const gate = createGate()
    server = await startOllamaServer({ chat: () => yesNo(0.9), delay: (r) => (r.path === '/api/chat' ? gate.promise : undefined) })
    const { cache, timers, late, counters } = await judgedCache(server)
    // When a paraphrase is looked up and 200 ms pass on the cache's clock without a verdict
    const looking = cache.lookup('who was the author of the declaration of independence')
    await server.waitForRequests(server.requests.length + 1)
    timers.advance(199)
    timers.advance(1)
    const { decision } = await looking
    // Then the look-up is a miss that says the judge was late
    expect(decision).toMatchObject({ hit: false, kind: 'miss', judge: { verdict: 'late', score: null, error: expect.stringContaining('no verdict within 200 ms') } })
    expect(decision.candidates[0].outcome).toBe('judge-late')
    expect(decision.reason).toMatch(/did not answer within its deadline/)
    expect(await counters()).toMatchObject({ misses: 1, judge_deadline_missed: 1 })
    // And when the verdict finally arrives it is counted as late
    gate.open()
    await late
    expect(await counters()).toMatchObject({ judge_late: 1 })
  })

  it('never sends judge work that waits behind the agent past its deadline', async () => {
    // Given the only slot of the shared server held by the agent's request
    server = await startOllamaServer({ chat: () => yesNo(0.9) })
    const timers = new ManualTimers(0)
    const judgeQueued = createGate()
    const scheduler = new (class extends Scheduler {
      override run<T>(...args: Parameters<Scheduler['run']>): Promise<T> {
        const running = super.run(...args) as Promise<T>
        if (args[0] === 'judge') judgeQueued.open()
        return running
      }
    })({ slots: 1, judgeConcurrency: 1, timers })
    const agentGate = createGate()
    const agent = scheduler.run('agent', () => agentGate.promise)
    const { cache, counters } = await judgedCache(server, { scheduler, timers })
    // When a look-up needs the judge and its 200 ms pass
    const looking = cache.lookup('who was the author of the declaration of independence')
    await judgeQueued.promise
    expect(scheduler.snapshot().queued.judge).toBe(1)
    timers.advance(200)
    const { decision } = await looking
    // Then it missed as late and the judge request was dropped, never sent
    expect(decision.judge).toMatchObject({ verdict: 'late' })
    expect(scheduler.snapshot()).toMatchObject({ queued: { judge: 0 }, dropped: 1 })
    agentGate.open()
    await agent
    expect(chatRequests(server)).toBe(0)
    expect(await counters()).toMatchObject({ judge_deadline_missed: 1 })
  })

  it('does not ask the judge about a candidate the guard rejects, and names the reason', async () => {
    server = await startOllamaServer({ chat: () => yesNo(0.99) })
    const { cache } = await judgedCache(server)
    await cache.store({ query: 'population of France in 2020', result: 'about 67 million', latencyMs: 400 })
    const { decision } = await cache.lookup('population of France in 2021')
    expect(decision).toMatchObject({ hit: false, judge: null })
    const rejected = decision.candidates.find((c) => c.query === 'population of France in 2020')!
    expect(rejected).toMatchObject({ outcome: 'guard-rejected', judgeScore: null, guard: { pass: false, reasons: [{ kind: 'date', detail: 'date "2021" vs "2020"' }] } })
    expect(chatRequests(server)).toBe(0)
  })

  it('skips the judge above the similarity band when the guard passes, and counts the skip', async () => {
    server = await startOllamaServer({ chat: () => yesNo(0.01) })
    // Given a judge that would say no, and a skip band of 0.85
    const { cache, counters } = await judgedCache(server, { skipAboveSimilarity: 0.85 })
    // When a near-identical question is looked up
    const near = await cache.lookup('who wrote that declaration of independence')
    // Then it is served without asking the judge, and the record says so
    expect(near.decision.similarity).toBeGreaterThanOrEqual(0.85)
    expect(near.decision).toMatchObject({ hit: true, kind: 'semantic', judge: null })
    expect(near.decision.reason).toMatch(/judge skipped at similarity >= 0.85/)
    expect(chatRequests(server)).toBe(0)
    expect(await counters()).toMatchObject({ judge_skipped: 1 })
  })

  it('misses with the error in the record when the judge fails', async () => {
    server = await startOllamaServer({ chat: () => yesNo(0.9) })
    const { cache, counters } = await judgedCache(server)
    server.setScript({ fail: (r) => (r.path === '/api/chat' ? { kind: 'status', status: 500, body: { error: 'out of memory' } } : undefined) })
    const { decision } = await cache.lookup('who was the author of the declaration of independence')
    expect(decision).toMatchObject({ hit: false, judge: { verdict: 'error', error: expect.stringContaining('out of memory') } })
    expect(decision.candidates[0].outcome).toBe('judge-error')
    expect(await counters()).toMatchObject({ judge_errors: 1 })
  })
})
