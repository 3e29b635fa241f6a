import { afterEach, describe, expect, it } from 'vitest'
import type { Schedule } from '../../src/agents/chat-model.js'
import { createModelAgent } from '../../src/agents/model-agent.js'
import { createOllamaChatModel } from '../../src/agents/ollama-chat-model.js'
import { runTasks } from '../../src/agents/run-tasks.js'
import { openSessionLog } from '../../src/store/session-store.js'
import { startOllamaServer, type ChatReply, type ChatRequestBody, type OllamaTestServer } from '../helpers/ollama-server.js'
import { recordingSource, useTestAsteria } from './agent-fixtures.js'

const openTestAsteria = useTestAsteria()
let server: OllamaTestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const MODELS = ['qwen3:8b', 'nomic-embed-text:latest']
const toolMessages = (request: ChatRequestBody) => (request.messages ?? []).filter((m) => m.role === 'tool')
const call = (name: string, args: Record<string, unknown>): ChatReply => ({ content: '', tool_calls: [{ function: { name, arguments: args } }] })

/** Counts chat requests that went through the scheduler hook. */
function countingSchedule(): Schedule & { count: number } {
  const schedule = (async (request) => {
    schedule.count++
    return request()
  }) as Schedule & { count: number }
  schedule.count = 0
  return schedule
}

async function agentFor(maxSteps: number, schedule?: Schedule) {
  const model = await createOllamaChatModel({ host: server!.url, model: 'qwen3:8b', timeoutMs: 10_000 })
  return createModelAgent({ model, maxSteps, schedule })
}

describe('search agent (model through the ollama client, tools through the cache)', () => {
  it('searches, reads the results, searches again (served from the cache) and answers', async () => {
    // Given a model scripted to search twice (the same question in other case) and then answer
    server = await startOllamaServer({
      models: MODELS,
      chat: (request) => {
        const seen = toolMessages(request).length
        if (seen === 0) return call('search', { query: 'who wrote hamlet' })
        if (seen === 1) return call('search', { query: 'Who wrote Hamlet?' })
        return { content: '<think>both passages agree</think>William Shakespeare' }
      },
    })
    const asteria = await openTestAsteria()
    const source = recordingSource()
    asteria.useSource('search', source)
    const schedule = countingSchedule()

    // When the task runs as a session
    const detail = await runTasks({
      asteria,
      log: openSessionLog(asteria.store),
      tasks: [{ id: 't1', kind: 'search', question: 'Who wrote Hamlet?', answers: ['Shakespeare'] }],
      taskSet: 'test',
      agent: await agentFor(4, schedule),
      sources: { search: source.name },
    })

    // Then the model's answer (thinking removed) is graded correct after 3 turns
    expect(detail.tasks).toEqual([expect.objectContaining({ id: 't1', agent: 'ollama:qwen3:8b', answer: 'William Shakespeare', correct: true, steps: 3, lookups: 2, error: null })])
    // And the second look-up was an exact hit: one remote call for two look-ups
    expect(detail.lookups.map((l) => [l.tool, l.outcome])).toEqual([['search', 'miss'], ['search', 'exact']])
    expect(source.calls).toHaveLength(1)
    expect(detail.lookups[1].decision?.reason).toMatch(/exact/)
    // And every chat request went through the scheduler hook, offering the search and open tools
    const chats = server.requests.filter((r) => r.path === '/api/chat')
    expect(chats).toHaveLength(3)
    expect(schedule.count).toBe(3)
    const first = chats[0].body as ChatRequestBody
    expect((first.tools as { function: { name: string } }[]).map((t) => t.function.name)).toEqual(['search', 'open'])
    expect(first.messages?.[0].role).toBe('system')
    // And the model saw the search result as a tool message
    const last = chats[2].body as ChatRequestBody
    expect(toolMessages(last)[0]).toMatchObject({ role: 'tool', tool_name: 'search' })
    expect(toolMessages(last)[0].content).toMatch(/^\[1\] Result for who wrote hamlet: about who wrote hamlet/)
    // And the session is stored with its summary
    expect(detail.session.summary).toMatchObject({ requests: 2, hits: { exact: 1, semantic: 0, total: 1 }, misses: 1, remoteCalls: 1, costSpentUsd: 0.01, costSavedUsd: 0.01 })
    expect((await openSessionLog(asteria.store).get(detail.session.id))?.lookups).toHaveLength(2)
  })

  it('opens a passage it found, in full', async () => {
    server = await startOllamaServer({
      models: MODELS,
      chat: (request) => {
        const seen = toolMessages(request).length
        if (seen === 0) return call('search', { query: 'hamlet' })
        if (seen === 1) return call('open', { passage: '1' })
        return { content: 'Shakespeare' }
      },
    })
    const asteria = await openTestAsteria()
    asteria.useSource('search', recordingSource())
    const detail = await runTasks({
      asteria, log: openSessionLog(asteria.store), taskSet: 'test', sources: {},
      tasks: [{ id: 't', kind: 'search', question: 'Who wrote Hamlet?' }], agent: await agentFor(4),
    })
    const opened = toolMessages(server.requests.at(-1)!.body as ChatRequestBody)[1]
    expect(opened).toMatchObject({ tool_name: 'open' })
    expect(opened.content).toBe('Result for hamlet\nabout hamlet: William Shakespeare wrote it around 1600.')
    expect(detail.tasks[0]).toMatchObject({ answer: 'Shakespeare', lookups: 1, correct: null })
  })

  it('stops after the step limit and makes the model answer without tools', async () => {
    // Given a model that would search forever
    let n = 0
    server = await startOllamaServer({
      models: MODELS,
      chat: (request) => ((request.tools ?? []).length === 0 ? { content: 'best guess (unverified)' } : call('search', { query: `query number ${++n}` })),
    })
    const asteria = await openTestAsteria()
    asteria.useSource('search', recordingSource())
    // When it runs with at most 2 steps
    const detail = await runTasks({
      asteria, log: openSessionLog(asteria.store), taskSet: 'test', sources: {},
      tasks: [{ id: 't', kind: 'search', question: 'q?' }], agent: await agentFor(2),
    })
    // Then 2 tool turns ran, then one request without tools forced the answer
    const chats = server.requests.filter((r) => r.path === '/api/chat')
    expect(chats).toHaveLength(3)
    expect((chats[2].body as ChatRequestBody).messages?.at(-1)?.content).toMatch(/Step limit reached/)
    expect(detail.tasks[0]).toMatchObject({ answer: 'best guess (unverified)', steps: 3, lookups: 2 })
  })

  it('records a model failure on the task and carries on with the session', async () => {
    // Given a server that does not have the model
    server = await startOllamaServer({ models: ['nomic-embed-text:latest'] })
    const asteria = await openTestAsteria()
    const detail = await runTasks({
      asteria, log: openSessionLog(asteria.store), taskSet: 'test', sources: {},
      tasks: [{ id: 'a', kind: 'search', question: 'q1', answers: ['x'] }, { id: 'b', kind: 'search', question: 'q2' }],
      agent: await agentFor(3),
    })
    expect(detail.tasks.map((t) => t.error)).toEqual([expect.stringContaining('has no model qwen3:8b'), expect.stringContaining('has no model qwen3:8b')])
    expect(detail.tasks[0].correct).toBe(false)
    expect(detail.session.status).toBe('finished')
  })
})

describe('coding agent', () => {
  it('looks up docs and code examples through the cache, each tool its own scope, and answers with a plan', async () => {
    // Given a model that looks the same thing up in the docs and in code examples
    server = await startOllamaServer({
      models: MODELS,
      chat: (request) => {
        const seen = toolMessages(request).length
        if (seen === 0) return { content: '', tool_calls: [{ function: { name: 'search_docs', arguments: { query: 'csv reader', language: 'python' } } }, { function: { name: 'search_code', arguments: { query: 'csv reader' } } }] }
        return { content: 'Plan: 1. open the file 2. csv.reader 3. sum the column. No code was run.' }
      },
    })
    const asteria = await openTestAsteria()
    const docs = recordingSource('docs')
    asteria.useSource('search_docs', docs)
    asteria.useSource('search_code', docs)
    // When a coding task runs
    const detail = await runTasks({
      asteria, log: openSessionLog(asteria.store), taskSet: 'test', sources: { search_docs: 'docs', search_code: 'docs' },
      tasks: [{ id: 'c', kind: 'coding', question: 'Sum a column of a CSV file in Python' }], agent: await agentFor(3),
    })
    // Then both look-ups missed (different scopes), with the language argument kept as a scope argument
    expect(detail.lookups.map((l) => [l.tool, l.query, l.args, l.outcome])).toEqual([
      ['search_docs', 'csv reader', { language: 'python' }, 'miss'],
      ['search_code', 'csv reader', {}, 'miss'],
    ])
    expect(docs.calls).toEqual([{ query: 'csv reader', args: { language: 'python' } }, { query: 'csv reader', args: {} }])
    // And the coding tools were offered, and the answer is the plan
    const first = server.requests.find((r) => r.path === '/api/chat')!.body as ChatRequestBody
    expect((first.tools as { function: { name: string } }[]).map((t) => t.function.name)).toEqual(['search_docs', 'search_code'])
    expect(first.messages?.[0].content).toMatch(/never run code/)
    expect(detail.tasks[0].answer).toMatch(/^Plan:/)
  })
})
