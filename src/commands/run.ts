import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../cli/base-command.js'
import { parseLatency } from '../cli/durations.js'
import { startProgress } from '../cli/spinner.js'
import type { AgentTask } from '../agents/agent-task.js'
import { runAgentSession } from '../agents/run-session.js'
import { builtInTaskSets, loadTaskSet } from '../agents/task-file.js'
import { EXIT_CODES } from '../core/errors.js'
import type { AsteriaConfig } from '../config/config.js'
import { AGENT_KINDS, AGENT_THINK, SOURCE_NAMES } from '../config/source-config.js'
import { formatRunSummary, formatTaskLine } from '../report/session-report.js'
import { sessionJson } from '../report/session-json.js'
import { closeOnSignals } from '../core/util/close-on-signals.js'

export default class Run extends BaseCommand<typeof Run> {
  static override summary = 'Run agent tasks whose knowledge look-ups go through the cache, and report the session.'
  static override description =
    'Runs a question, a coding task, or a task set (a JSON Lines file or a built-in set) as one session. Each look-up ' +
    'goes through the cache; the report shows hits (exact and semantic), misses, latency, remote calls, cost spent and ' +
    'saved, and answer accuracy where gold answers are known. With Ollama and the agent model, a model agent plans the ' +
    'look-ups; without, the tasks\' recorded plans are replayed (and the report says so). Sessions are stored: see `asteria sessions`.\n\n' +
    'Each task prints its line as it finishes (a spinner on stderr counts tasks and hits when stderr is a terminal). Ctrl+C ' +
    '(or SIGTERM) stops the run: the report covers the tasks that finished, the session is stored as interrupted, and the exit ' +
    'code is 130; a second Ctrl+C stops at once.'

  static override examples = [
    '<%= config.bin %> <%= command.id %> --tasks search-disflqa',
    '<%= config.bin %> <%= command.id %> --tasks coding-mbpp-authored --json',
    '<%= config.bin %> <%= command.id %> "who wrote the declaration of independence"',
    '<%= config.bin %> <%= command.id %> --coding "read a csv file and sum one column in python"',
    '<%= config.bin %> <%= command.id %> --tasks my-tasks.jsonl --concurrency 4 --agent ollama --model qwen3:8b',
    '<%= config.bin %> <%= command.id %> --tasks search-nq-open --agent ollama --model gpt-oss:20b --think low',
  ]

  static override args = {
    question: Args.string({ description: 'A question (or, with --coding, a programming task) to run as a one-task session.' }),
  }

  static override flags = {
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

  async run(): Promise<unknown> {
    const { flags } = this
    const { name, tasks } = this.taskSet()
    const typed: Partial<AsteriaConfig> = {
      agent: flags.agent as AsteriaConfig['agent'] | undefined,
      agentModel: flags.model,
      agentMaxSteps: flags['max-steps'],
      agentThink: flags.think as AsteriaConfig['agentThink'] | undefined,
      source: flags.source as AsteriaConfig['source'] | undefined,
      ...(flags.latency === undefined ? {} : { latencyMs: parseLatency(flags.latency) }),
    }
    const asteria = await this.asteria(typed)
    const sources = this.resolveConfig(typed).config
    const json = this.jsonEnabled()
    const progress = await startProgress(`Starting ${tasks.length} task${tasks.length === 1 ? '' : 's'}…`, json)
    const interrupt = new AbortController()
    const stopListening = closeOnSignals(async () => interrupt.abort())
    let hits = 0
    const detail = await runAgentSession({
      asteria,
      sources,
      tasks,
      taskSet: name,
      concurrency: flags.concurrency,
      signal: interrupt.signal,
      onStart: (agent) => progress.update(`Running ${tasks.length} task${tasks.length === 1 ? '' : 's'} with ${agent}…`),
      onTaskDone: (task, lookups, done, total) => {
        hits += lookups.filter((l) => l.outcome === 'exact' || l.outcome === 'semantic').length
        if (!json) progress.log(formatTaskLine(task, lookups, total))
        progress.update(`task ${done}/${total}, ${hits} hit${hits === 1 ? '' : 's'}`)
      },
    }).finally(() => {
      stopListening()
      progress.stop()
    })
    this.log(formatRunSummary(detail))
    if (detail.session.status === 'interrupted') {
      process.exitCode = EXIT_CODES.INTERRUPTED
      this.notice(`Interrupted: ${detail.tasks.length} of ${tasks.length} tasks finished; session ${detail.session.id} is stored as interrupted.`)
      return sessionJson(detail)
    }
    const failed = detail.lookups.filter((l) => l.outcome === 'error')
    if (failed.length > 0 && failed.length === detail.lookups.length) {
      // The report stands, but a run where no look-up worked is a source problem, not a success.
      process.exitCode = EXIT_CODES.SOURCE
      process.stderr.write(`Every look-up failed. The first error: ${failed[0].error}\n`)
    }
    return sessionJson(detail)
  }

  private taskSet(): { name: string; tasks: AgentTask[] } {
    const { flags, args } = this
    if (flags.tasks !== undefined && args.question !== undefined) {
      this.fail('BAD_INPUT', `Expected either a question or --tasks, received both ("${args.question}" and --tasks ${flags.tasks}).`, ['Run one question, or one task set.'])
    }
    if (flags.tasks !== undefined) {
      if (flags.coding) this.fail('BAD_INPUT', 'Expected --coding with a question, received it with --tasks.', ['Each task in a file says its own kind ("search" or "coding").'])
      const set = loadTaskSet(flags.tasks)
      return { name: set.name, tasks: flags.limit === undefined ? set.tasks : set.tasks.slice(0, flags.limit) }
    }
    if (args.question === undefined || args.question.trim() === '') {
      this.fail('BAD_INPUT', 'Expected a question, a coding task (--coding "..."), or --tasks; received none.', [
        'asteria run --tasks search-disflqa',
        'asteria run "who wrote the declaration of independence"',
      ])
    }
    const kind = flags.coding ? 'coding' : 'search'
    return { name: 'ad hoc', tasks: [{ id: kind === 'coding' ? 'coding-task' : 'question', kind, question: args.question.trim() }] }
  }
}
