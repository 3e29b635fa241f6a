import { Args, Flags } from '@oclif/core'
import type { ConfigInput } from '../../config/config.js'
import { KNOWLEDGE_TOOLS } from '../../core/knowledge-tools.js'
import type { FetchOptions } from '../../core/cache/requests.js'
import { parseDuration, parseLatency } from '../durations.js'

/** `asteria query`: its help, argument and flags, and what they mean for the configuration and the look-up. */
export const QUERY_SUMMARY = 'Look one question up through the cache (a miss asks the knowledge source).'

export const QUERY_DESCRIPTION =
  'Prints the result and the decision record: hit or miss, the nearest stored question, its similarity, and what the guard said. ' +
  'Pass - to read one question per line from standard input: every line is answered in turn, and a line refused as bad ' +
  'input (oversized, or without a word) is reported with its line number on stderr (and in the --jsonl stream) while the ' +
  'others go on; the exit code is then 2.'

export const QUERY_EXAMPLES = [
  '<%= config.bin %> <%= command.id %> "who wrote the declaration of independence"',
  '<%= config.bin %> <%= command.id %> "who was the author of the declaration of independence" --json',
  '<%= config.bin %> <%= command.id %> "population of France in 2021" --latency 0',
  'printf "what is dna\\nwhat is DNA?\\n" | <%= config.bin %> <%= command.id %> - --jsonl',
]

export const QUERY_ARGS = {
  query: Args.string({ description: 'The question, or - to read questions from stdin, one per line.', required: true }),
}

export const QUERY_FLAGS = {
  tool: Flags.string({ description: 'Tool (knowledge source) the question is for; part of the scope.', options: [...KNOWLEDGE_TOOLS], default: 'search' }),
  latency: Flags.string({ description: 'Simulated source latency in ms: 0, 400 or 300-500 (default 300-500).' }),
  'no-cache': Flags.boolean({ description: 'Bypass the cache: ask the source, store nothing.' }),
  refresh: Flags.boolean({ description: 'Ask the source and replace the stored element for this question.' }),
  'max-age': Flags.string({ description: 'Serve only elements younger than this (90s, 10m, 2h, 7d).' }),
  'max-bytes': Flags.string({ description: 'Keep at most this many bytes of results: 500000, 64KB, 10MB (env ASTERIA_MAX_BYTES).' }),
  'max-entries': Flags.string({ description: 'Keep at most this many elements (env ASTERIA_MAX_ENTRIES).' }),
  jsonl: Flags.boolean({ description: 'One JSON object per line (with -, one per question as each answer arrives).' }),
}

/** The settings the flags change: simulated latency and the cache's budget (the text is validated like the environment's). */
export function queryConfigInput(flags: { latency?: string; 'max-bytes'?: string; 'max-entries'?: string }): ConfigInput {
  return {
    ...(flags.latency === undefined ? {} : { latencyMs: parseLatency(flags.latency) }),
    ...(flags['max-bytes'] === undefined ? {} : { maxBytes: flags['max-bytes'] }),
    ...(flags['max-entries'] === undefined ? {} : { maxEntries: flags['max-entries'] }),
  }
}

/** How each look-up goes: the tool, bypassing or refreshing the cache, and the oldest element it may serve. */
export function queryFetchOptions(flags: { tool: string; 'no-cache': boolean; refresh: boolean; 'max-age'?: string }): FetchOptions {
  return {
    tool: flags.tool,
    noCache: flags['no-cache'],
    refresh: flags.refresh,
    maxAgeMs: flags['max-age'] === undefined ? undefined : parseDuration(flags['max-age'], '--max-age'),
  }
}
