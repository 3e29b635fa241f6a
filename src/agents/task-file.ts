import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import { AsteriaError } from '../core/errors.js'
import { fixturePath } from '../core/util/package-paths.js'
import { KNOWLEDGE_TOOLS, type KnowledgeToolName } from '../core/knowledge-tools.js'
import { defaultTool, type AgentTask, type PlannedLookup } from './agent-task.js'

export interface TaskSet {
  /** The built-in name, or the file path as given. */
  name: string
  path: string
  builtIn: boolean
  tasks: AgentTask[]
}

const TASK_KEYS = new Set(['id', 'kind', 'question', 'answers', 'plan'])
const MAX_QUESTION_CHARS = 8000

/** Names of the task sets shipped in fixtures/tasks (file names without .jsonl). */
export function builtInTaskSets(): string[] {
  const dir = fixturePath('tasks')
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => f.replace(/\.jsonl$/, ''))
    .sort()
}

/** A built-in task set by name, or a JSON Lines task file by path. */
export function loadTaskSet(nameOrPath: string, cwd = process.cwd()): TaskSet {
  const path = resolve(cwd, nameOrPath)
  if (existsSync(path)) return { name: nameOrPath, path, builtIn: false, tasks: parseTaskLines(readFileSync(path, 'utf8'), nameOrPath) }
  const builtIn = fixturePath('tasks', `${basename(nameOrPath)}.jsonl`)
  if (!nameOrPath.includes('/') && existsSync(builtIn)) {
    return { name: nameOrPath, path: builtIn, builtIn: true, tasks: parseTaskLines(readFileSync(builtIn, 'utf8'), builtIn) }
  }
  throw new AsteriaError('NOT_FOUND', `Expected a task file or a built-in task set named "${nameOrPath}"; there is neither.`, {
    suggestions: [`Built-in sets: ${builtInTaskSets().join(', ') || '(none found)'}.`, 'Or pass the path of a JSON Lines task file.'],
  })
}

/** Parses JSON Lines tasks, checking every line first; the error names the line and the field. */
export function parseTaskLines(text: string, where: string): AgentTask[] {
  const tasks: AgentTask[] = []
  const ids = new Map<string, number>()
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return
    const lineNumber = index + 1
    const fail = (problem: string): never => {
      throw new AsteriaError('IMPORT', `Line ${lineNumber} of ${where}: ${problem}`, {
        suggestions: ['Each line is one task: {"id": "t1", "kind": "search", "question": "...", "answers": ["..."], "plan": ["query 1", "query 2"]}.'],
      })
    }
    let row: unknown
    try {
      row = JSON.parse(line)
    } catch (error) {
      fail(`expected a JSON object, found text that is not JSON (${(error as Error).message}).`)
    }
    const task = parseTask(row, fail)
    const earlier = ids.get(task.id)
    if (earlier !== undefined) fail(`the id "${task.id}" was already used on line ${earlier}; ids must be unique.`)
    ids.set(task.id, lineNumber)
    tasks.push(task)
  })
  if (tasks.length === 0) {
    throw new AsteriaError('IMPORT', `Expected at least one task in ${where}; it holds none.`, {
      suggestions: ['Write one JSON task per line.'],
    })
  }
  return tasks
}

function parseTask(row: unknown, fail: (problem: string) => never): AgentTask {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) fail('expected a JSON object.')
  const r = row as Record<string, unknown>
  const unknown = Object.keys(r).filter((k) => !TASK_KEYS.has(k))
  if (unknown.length > 0) fail(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; expected id, kind, question, answers, plan.`)
  if (typeof r.id !== 'string' || r.id.trim() === '') fail('expected "id" to be a non-empty string.')
  if (r.kind !== 'search' && r.kind !== 'coding') fail(`expected "kind" to be "search" or "coding", received ${JSON.stringify(r.kind)}.`)
  if (typeof r.question !== 'string' || r.question.trim() === '') fail('expected "question" to be a non-empty string.')
  if ((r.question as string).length > MAX_QUESTION_CHARS) fail(`expected "question" of at most ${MAX_QUESTION_CHARS} characters.`)
  const kind = r.kind as AgentTask['kind']
  const task: AgentTask = { id: r.id as string, kind, question: (r.question as string).trim() }
  if (r.answers !== undefined) {
    if (!Array.isArray(r.answers) || !r.answers.every((a) => typeof a === 'string' && a.trim() !== '')) {
      fail('expected "answers" to be a list of non-empty strings.')
    }
    task.answers = r.answers as string[]
  }
  if (r.plan !== undefined) {
    if (!Array.isArray(r.plan)) fail('expected "plan" to be a list of queries.')
    task.plan = (r.plan as unknown[]).map((entry, i) => planEntry(entry, kind, (problem) => fail(`plan entry ${i + 1}: ${problem}`)))
  }
  return task
}

/** A query string (for the task kind's default tool), or {tool, query, args?}. */
function planEntry(entry: unknown, kind: AgentTask['kind'], fail: (problem: string) => never): PlannedLookup {
  if (typeof entry === 'string') {
    if (entry.trim() === '') fail('expected a non-empty query.')
    return { tool: defaultTool(kind), query: entry.trim() }
  }
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) fail('expected a query string or {"tool", "query"}.')
  const e = entry as Record<string, unknown>
  if (!KNOWLEDGE_TOOLS.includes(e.tool as KnowledgeToolName)) fail(`expected "tool" to be one of ${KNOWLEDGE_TOOLS.join(', ')}, received ${JSON.stringify(e.tool)}.`)
  if (typeof e.query !== 'string' || e.query.trim() === '') fail('expected "query" to be a non-empty string.')
  if (e.args !== undefined && (e.args === null || typeof e.args !== 'object' || Array.isArray(e.args))) fail('expected "args" to be an object.')
  return { tool: e.tool as KnowledgeToolName, query: (e.query as string).trim(), ...(e.args === undefined ? {} : { args: e.args as Record<string, unknown> }) }
}
