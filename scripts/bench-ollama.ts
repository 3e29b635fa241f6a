/**
 * npm run bench:ollama [-- --model qwen3:0.6b] [-- --agent-model qwen3:0.6b] [-- --pairs 40] [-- --json]
 * For users who run Ollama (OLLAMA_HOST, default http://127.0.0.1:11434): the small-model judge's
 * latency (logprobs vs JSON scoring), batching 3 candidates in one request vs one request each,
 * the scheduler's effect on the agent's requests while judge work is queued, and the judge's
 * quality on fixtures/pairs/example.jsonl. Medians are measured side by side in one run.
 * Prints a message and exits 0 when no Ollama (or no model) is reachable.
 */
import { elapsedMs, startTimer } from '../src/core/clock.js'
import { fixturePath } from '../src/core/package-paths.js'
import { Scheduler } from '../src/core/scheduler.js'
import type { SemanticElement } from '../src/core/semantic-element.js'
import { ollamaUrl } from '../src/ollama/host.js'
import { rocAuc } from '../src/eval/metrics.js'
import { readPairsFile } from '../src/eval/pairs-file.js'
import { hasModel, probeOllama } from '../src/ollama/probe.js'
import type { JudgeCandidate } from '../src/judge/judge.js'
import { createOllamaChat } from '../src/judge/ollama-chat.js'
import { createOllamaJudge, DEFAULT_JUDGE_MODEL } from '../src/judge/ollama-judge.js'

const arg = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback)
const json = process.argv.includes('--json')
const host = ollamaUrl(process.env.OLLAMA_HOST ?? 'http://127.0.0.1:11434')
const model = arg('--model', DEFAULT_JUDGE_MODEL)
const agentModel = arg('--agent-model', model)
const pairCount = Number(arg('--pairs', '40'))
const say = (text: string) => (json ? console.error(text) : console.log(text))

const probe = await probeOllama(host)
const missing = [model, agentModel].filter((m) => !hasModel(probe, m))
if (!probe.reachable || missing.length > 0) {
  const why = !probe.reachable ? `Ollama is not reachable at ${host} (${probe.error}); start it with \`ollama serve\`` : `Ollama at ${host} lacks ${missing.join(', ')}; run ${missing.map((m) => `\`ollama pull ${m}\``).join(' and ')}`
  console.log(json ? JSON.stringify({ skipped: true, reason: why }) : `bench:ollama: skipped. ${why}, then run it again.`)
  process.exit(0)
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] ?? Number.NaN
const pairs = readPairsFile(fixturePath('pairs', 'example.jsonl')).slice(0, pairCount)
const asCandidate = (query: string): JudgeCandidate => ({ element: { id: 0, query, result: null, latencyMs: 0 } as SemanticElement, similarity: 1 })
const NO_DEADLINE = { deadlineMs: Number.MAX_SAFE_INTEGER }
const timeoutMs = 60_000

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = startTimer()
  const value = await work()
  return { ms: elapsedMs(t), value }
}

// 1. Cold start, then per-pair latency and quality of each scoring path.
const logprobJudge = await createOllamaJudge({ host, model, timeoutMs })
const jsonJudge = await createOllamaJudge({ host, model, timeoutMs, scoring: 'json' })
const cold = await timed(() => logprobJudge.judge('warm up', [asCandidate('warm up')], NO_DEADLINE))
say(`bench:ollama: ${model} at ${host}; first call (load) ${cold.ms.toFixed(0)} ms; scoring ${pairs.length} pairs both ways ...`)
const scoring = { logprobs: { ms: [] as number[], scores: [] as number[] }, json: { ms: [] as number[], scores: [] as number[] } }
for (const pair of pairs) {
  for (const [name, judge] of [['logprobs', logprobJudge], ['json', jsonJudge]] as const) {
    const { ms, value } = await timed(() => judge.judge(pair.a, [asCandidate(pair.b)], NO_DEADLINE))
    scoring[name].ms.push(ms)
    scoring[name].scores.push(value[0].score)
  }
}
const quality = (scores: number[]) => {
  const accepted = pairs.filter((_, i) => scores[i] >= 0.5)
  return {
    rocAuc: rocAuc(pairs.map((p, i) => ({ score: scores[i], positive: p.equivalent }))),
    precisionAt05: accepted.length === 0 ? Number.NaN : accepted.filter((p) => p.equivalent).length / accepted.length,
    recallAt05: accepted.filter((p) => p.equivalent).length / Math.max(1, pairs.filter((p) => p.equivalent).length),
  }
}

// 2. Three candidates per look-up: one batched request vs one request each (concurrency 1 and 3).
const lookups = pairs.slice(0, Math.min(12, pairs.length)).map((p, i) => ({ query: p.a, candidates: [p.b, pairs[(i + 1) % pairs.length].b, pairs[(i + 2) % pairs.length].b].map(asCandidate) }))
const variants = {
  'batched, 1 request': await createOllamaJudge({ host, model, timeoutMs, batch: true }),
  'single, concurrency 1': await createOllamaJudge({ host, model, timeoutMs, scheduler: new Scheduler({ judgeConcurrency: 1 }) }),
  'single, concurrency 3': await createOllamaJudge({ host, model, timeoutMs, scheduler: new Scheduler({ judgeConcurrency: 3 }) }),
}
const batching: Record<string, number[]> = {}
for (const lookup of lookups) {
  for (const [name, judge] of Object.entries(variants)) {
    const { ms } = await timed(() => judge.judge(lookup.query, lookup.candidates, NO_DEADLINE).catch(() => []))
    ;(batching[name] ??= []).push(ms)
  }
}

// 3. The agent's request while 6 judge requests are queued: strict priority (one slot) vs none.
const agentChat = await createOllamaChat({ host, model: agentModel, timeoutMs, keepAlive: '30m' })
const agentAsk = () => agentChat({ messages: [{ role: 'user', content: 'Name three rivers in Europe, one line.' }], think: false, options: { temperature: 0, num_predict: 32 } })
const scheduling: Record<string, number[]> = { 'agent alone': [], 'agent behind judge work, no scheduler': [], 'agent with strict priority': [] }
for (let round = 0; round < 5; round++) {
  scheduling['agent alone'].push((await timed(agentAsk)).ms)
  const flood = (judge: Awaited<ReturnType<typeof createOllamaJudge>>) => Promise.all(lookups.slice(0, 6).map((l) => judge.judge(l.query, [l.candidates[0]], NO_DEADLINE).catch(() => [])))
  const unscheduled = flood(logprobJudge)
  scheduling['agent behind judge work, no scheduler'].push((await timed(agentAsk)).ms)
  await unscheduled
  const shared = new Scheduler({ slots: 1, judgeConcurrency: 1 })
  const scheduledJudge = await createOllamaJudge({ host, model, timeoutMs, scheduler: shared })
  const queued = flood(scheduledJudge)
  scheduling['agent with strict priority'].push((await timed(() => shared.run('agent', agentAsk))).ms)
  await queued
}

const result = {
  host, model, agentModel, pairs: pairs.length, coldStartMs: cold.ms,
  scoring: Object.fromEntries(Object.entries(scoring).map(([k, v]) => [k, { medianMs: median(v.ms), p95Ms: p95(v.ms), ...quality(v.scores) }])),
  batching: Object.fromEntries(Object.entries(batching).map(([k, v]) => [k, { medianMs: median(v), p95Ms: p95(v) }])),
  scheduling: Object.fromEntries(Object.entries(scheduling).map(([k, v]) => [k, { medianMs: median(v), p95Ms: p95(v) }])),
}
if (json) console.log(JSON.stringify(result, null, 2))
else {
  const f = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '-')
  console.log(`\nJudge latency per pair and quality on fixtures/pairs/example.jsonl (${pairs.length} pairs)`)
  for (const [k, v] of Object.entries(result.scoring)) console.log(`  ${k.padEnd(10)} median ${f(v.medianMs)} ms, p95 ${f(v.p95Ms)} ms; ROC-AUC ${f(v.rocAuc, 3)}, at score >= 0.5 precision ${f(v.precisionAt05, 3)} recall ${f(v.recallAt05, 3)}`)
  console.log(`\nOne look-up with 3 candidates (${lookups.length} look-ups)`)
  for (const [k, v] of Object.entries(result.batching)) console.log(`  ${k.padEnd(24)} median ${f(v.medianMs)} ms, p95 ${f(v.p95Ms)} ms`)
  console.log('\nThe agent\'s request (32 tokens) while 6 judge requests are pending (5 rounds)')
  for (const [k, v] of Object.entries(result.scheduling)) console.log(`  ${k.padEnd(38)} median ${f(v.medianMs)} ms, p95 ${f(v.p95Ms)} ms`)
}
