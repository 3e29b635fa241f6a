import { Args, Flags } from '@oclif/core'
import type { AgentTask } from '../../agents/agent-task.js'
import { builtInTaskSets, loadTaskSet } from '../../agents/task-file.js'
import type { ConfigInput } from '../../config/config.js'
import { AGENT_KINDS, AGENT_THINK, SOURCE_NAMES } from '../../config/source-config.js'
import { AsteriaError } from '../../core/errors.js'
import { parseLatency } from '../durations.js'

/** `asteria run`: its help, arguments and flags, and what they mean for the configuration and the tasks. */
export const RUN_SUMMARY = 'Run agent tasks whose knowledge look-ups go through the cache, and report the session.'

export const RUN_DESCRIPTION =
  'Runs a question, a coding task, or a task set (a JSON Lines file or a built-in set) as one session. Each look-up ' +
  'goes through the cache; the report shows hits (exact and semantic), misses, latency, remote calls, cost spent and ' +
  'saved, and answer accuracy where gold answers are known. With Ollama and the agent model, a model agent plans the ' +
  'look-ups; without, the tasks\' recorded plans are replayed (and the report says so). Sessions are stored: see `asteria sessions`.\n\n' +
  'Each task prints its line as it finishes (a spinner on stderr counts tasks and hits when stderr is a terminal). Ctrl+C ' +
  '(or SIGTERM) stops the run: the report covers the tasks that finished, the session is stored as interrupted, and the exit ' +
  'code is 130; a second Ctrl+C stops at once.'

export const RUN_EXAMPLES = [
  '<%= config.bin %> <%= command.id %> --tasks search-disflqa',
  '<%= config.bin %> <%= command.id %> --tasks coding-mbpp-authored --json',
  '<%= config.bin %> <%= command.id %> "who wrote the declaration of independence"',
  '<%= config.bin %> <%= command.id %> --coding "read a csv file and sum one column in python"',
  '<%= config.bin %> <%= command.id %> --tasks my-tasks.jsonl --concurrency 4 --agent ollama --model qwen3:8b',
  '<%= config.bin %> <%= command.id %> --tasks search-nq-open --agent ollama --model gpt-oss:20b --think low',
]

export const RUN_ARGS = {
  question: Args.string({ description: 'A question (or, with --coding, a programming task) to run as a one-task session.' }),
}

export const RUN_FLAGS = {
  tasks: Flags.string({ description: `A task file (JSON Lines) or a built-in set: ${builtInTaskSets().join(', ')}.` }),
  coding: Flags.boolean({ description: 'The question is a programming task: look up docs and code examples, answer with a plan.' }),
  concurrency: Flags.integer({ description: 'Tasks run at once.', min: 1, max: 64, default: 1 }),
  limit: Flags.integer({ description: 'Run only the first N tasks of the set.', min: 1 }),
  agent: Flags.string({ description: 'auto (a model when Ollama has it, else replay), ollama, or replay.', options: [...AGENT_KINDS] }),
  model: Flags.string({ description: 'The agent\'s chat model (default qwen3:8b; env ASTERIA_AGENT_MODEL).' }),
  'max-steps': Flags.integer({ description: 'Model turns per task before it must answer.', min: 1, max: 50 }),
  think: Flags.string({ description: 'Let the agent model reason before each step (default off: faster tool steps; env ASTERIA_AGENT_THINK). GPT-OSS always reasons: pass low.', options: [...AGENT_THINK] }),
  source: Flags.string({ description: 'Knowledge source for search look-ups (default local).', options: [...SOURCE_NAMES] }),
  latency: Flags.string({ description: 'Simulated latency of the local sources in ms: 0, 400 or 300-500 (default 300-500).' }),
}

/** The settings `asteria run`'s flags give (the agent, its model, the source, the simulated latency). */
export function runConfigInput(flags: { agent?: string; model?: string; 'max-steps'?: number; think?: string; source?: string; latency?: string }): ConfigInput {
  return {
    agent: flags.agent,
    agentModel: flags.model,
    agentMaxSteps: flags['max-steps'],
    agentThink: flags.think,
    source: flags.source,
    ...(flags.latency === undefined ? {} : { latencyMs: parseLatency(flags.latency) }),
  }
}

/** The tasks to run: a task set (--tasks, maybe --limit), or one question (--coding makes it a programming task). */
export function selectTasks(question: string | undefined, flags: { tasks?: string; coding?: boolean; limit?: number }): { name: string; tasks: AgentTask[] } {
  const fail = (message: string, suggestions: string[]) => new AsteriaError('BAD_INPUT', message, { suggestions })
  if (flags.tasks !== undefined && question !== undefined) {
    throw fail(`Expected either a question or --tasks, received both ("${question}" and --tasks ${flags.tasks}).`, ['Run one question, or one task set.'])
  }
  if (flags.tasks !== undefined) {
    if (flags.coding) throw fail('Expected --coding with a question, received it with --tasks.', ['Each task in a file says its own kind ("search" or "coding").'])
    const set = loadTaskSet(flags.tasks)
    return { name: set.name, tasks: flags.limit === undefined ? set.tasks : set.tasks.slice(0, flags.limit) }
  }
  if (question === undefined || question.trim() === '') {
    throw fail('Expected a question, a coding task (--coding "..."), or --tasks; received none.', [
      'asteria run --tasks search-disflqa',
      'asteria run "who wrote the declaration of independence"',
    ])
  }
  const kind = flags.coding ? 'coding' : 'search'
  return { name: 'ad hoc', tasks: [{ id: kind === 'coding' ? 'coding-task' : 'question', kind, question: question.trim() }] }
}
