import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { builtInTaskSets, loadTaskSet, parseTaskLines } from '../../src/agents/task-file.js'
import { AsteriaError } from '../../src/core/errors.js'

function parseError(text: string): AsteriaError {
  try {
    parseTaskLines(text, 'tasks.jsonl')
  } catch (error) {
    return error as AsteriaError
  }
  throw new Error('expected parseTaskLines to throw')
}

describe('parseTaskLines', () => {
  it('reads the public task format: plain-string plans go to the kind\'s tool, objects name theirs', () => {
    const tasks = parseTaskLines(
      [
        '{"id": "s1", "kind": "search", "question": " who wrote hamlet ", "answers": ["Shakespeare"], "plan": ["hamlet author"]}',
        '',
        '{"id": "c1", "kind": "coding", "question": "parse json", "plan": ["json.loads", {"tool": "search_code", "query": "parse json string", "args": {"language": "python"}}]}',
      ].join('\n'),
      'tasks.jsonl',
    )
    expect(tasks).toEqual([
      { id: 's1', kind: 'search', question: 'who wrote hamlet', answers: ['Shakespeare'], plan: [{ tool: 'search', query: 'hamlet author' }] },
      { id: 'c1', kind: 'coding', question: 'parse json', plan: [{ tool: 'search_docs', query: 'json.loads' }, { tool: 'search_code', query: 'parse json string', args: { language: 'python' } }] },
    ])
  })

  it('names the line and the problem', () => {
    const ok = '{"id": "a", "kind": "search", "question": "q"}'
    expect(parseError(`${ok}\n{"id": "b", "kind": "serach", "question": "q"}`).message).toBe(
      'Line 2 of tasks.jsonl: expected "kind" to be "search" or "coding", received "serach".',
    )
    expect(parseError(`${ok}\nnot json`).message).toMatch(/^Line 2 of tasks.jsonl: expected a JSON object, found text that is not JSON/)
    expect(parseError(`${ok}\n${ok}`).message).toBe('Line 2 of tasks.jsonl: the id "a" was already used on line 1; ids must be unique.')
    expect(parseError('{"id": "a", "kind": "search", "question": "q", "anwers": []}').message).toBe(
      'Line 1 of tasks.jsonl: unknown field "anwers"; expected id, kind, question, answers, plan.',
    )
    expect(parseError('{"id": "a", "kind": "search", "question": "q", "plan": [{"tool": "web", "query": "x"}]}').message).toBe(
      'Line 1 of tasks.jsonl: plan entry 1: expected "tool" to be one of search, search_docs, search_code, received "web".',
    )
    expect(parseError('\n\n').message).toBe('Expected at least one task in tasks.jsonl; it holds none.')
    expect(parseError('{"id": "a", "kind": "search", "question": ""}').exitCode).toBe(9)
  })
})

describe('loadTaskSet', () => {
  it('loads every built-in set, each valid and named as documented', () => {
    const names = builtInTaskSets()
    expect(names).toEqual(['coding-codesearchnet', 'coding-mbpp-authored', 'coding-swebench-authored', 'search-disflqa', 'search-nq-open'])
    for (const name of names) {
      const set = loadTaskSet(name, '/')
      expect(set.builtIn).toBe(true)
      expect(set.tasks.length).toBeGreaterThan(5)
      expect(set.tasks.every((t) => t.plan && t.plan.length > 0)).toBe(true)
    }
  })

  it('prefers a file in the working folder, and lists the built-in sets when neither exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'asteria-tasks-'))
    try {
      writeFileSync(join(dir, 'mine.jsonl'), '{"id": "x", "kind": "search", "question": "q"}\n')
      expect(loadTaskSet('mine.jsonl', dir)).toMatchObject({ name: 'mine.jsonl', builtIn: false, tasks: [{ id: 'x' }] })
      expect(() => loadTaskSet('search-nope', dir)).toThrow(/neither/)
      const error = (() => {
        try {
          loadTaskSet('search-nope', dir)
        } catch (e) {
          return e as AsteriaError
        }
      })()
      expect(error?.suggestions[0]).toMatch(/^Built-in sets: coding-codesearchnet, .*search-disflqa/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
