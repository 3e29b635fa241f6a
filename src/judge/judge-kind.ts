/** `--judge`: the offline kinds need nothing; `ollama` needs a server; `auto` takes Ollama when it is there. */
export type JudgeKind = 'auto' | 'ollama' | 'learned' | 'guard' | 'none'
export const JUDGE_KINDS: readonly JudgeKind[] = ['auto', 'ollama', 'learned', 'guard', 'none']
