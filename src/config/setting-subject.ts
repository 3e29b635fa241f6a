/** Where settings typed as flags are validated (a bad one is bad input, exit 2, not a configuration error). */
export const COMMAND_LINE = 'the command line'

/** Settings whose flag is not the kebab-case of their key. */
const FLAG_OF: Record<string, string> = {
  storeUrl: 'store',
  agentModel: 'model',
  agentMaxSteps: 'max-steps',
  agentThink: 'think',
  latencyMs: 'latency',
  evictionPolicy: 'policy',
}

/** How an error names a setting: the flag the user typed (--tau-sim), else the key and where it was set. */
export function settingSubject(key: string, where: string): string {
  if (where !== COMMAND_LINE) return `${key} in ${where}`
  return `--${FLAG_OF[key] ?? key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
}
