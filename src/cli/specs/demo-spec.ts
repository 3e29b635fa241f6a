import { Flags } from '@oclif/core'

/** `asteria demo`: its help and flags. */
export const DEMO_SUMMARY = 'Put built-in questions and paraphrases through a fresh cache and show hits, misses and why.'

export const DEMO_DESCRIPTION =
  'Runs offline on the built-in embedder, guard and local Wikipedia corpus (with a simulated 300–500 ms remote source). ' +
  'Uses a temporary cache unless --db is given.'

export const DEMO_EXAMPLES = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --latency 0 --json']

export const DEMO_FLAGS = {
  latency: Flags.string({ description: 'Simulated source latency in ms: 0, 400 or 300-500.' }),
}
