/**
 * npm run bench:ollama [-- --model qwen3:0.6b,gpt-oss:20b] [-- --agent-model qwen3:0.6b] [-- --pairs 40] [-- --json]
 * For users who run Ollama (OLLAMA_HOST, read as Ollama reads it): for each judge model, the mode
 * the judge ends up in (logprobs, or JSON verdicts and why) and its latency per verdict next to
 * JSON scoring asked for outright, with its quality on fixtures/pairs/example.jsonl; then, for the
 * first model, batching 3 candidates in one request vs one request each, and the scheduler's
 * effect on the agent's requests while judge work is queued. Medians are measured side by side.
 * Prints a message and exits 0 when no Ollama (or no model) is reachable.
 */
import { elapsedMs, startTimer } from '../src/core/clock.js'
import { fixturePath } from '../src/core/util/package-paths.js'
import { Scheduler } from '../src/core/scheduler.js'
import type { SemanticElement } from '../src/core/semantic-element.js'
import { ollamaUrl } from '../src/ollama/host.js'
import { rocAuc } from '../src/scoring/ranking-metrics.js'
import { readPairsFile } from '../src/scoring/pairs-file.js'
import { hasModel, probeOllama } from '../src/ollama/probe.js'
import type { JudgeCandidate } from '../src/core/ports/hit-policy.js'
import { createOllamaChat } from '../src/ollama/judge-chat.js'
import { createOllamaJudge, DEFAULT_JUDGE_MODEL } from '../src/judge/ollama-judge.js'

const arg = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback)
const json = process.argv.includes('--json')
const host = ollamaUrl(process.env.OLLAMA_HOST)
const models = arg('--model', DEFAULT_JUDGE_MODEL).split(',').map((m) => m.trim()).filter(Boolean)
const model = models[0]
const agentModel = arg('--agent-model', model)
const pairCount = Number(arg('--pairs', '40'))
const say = (text: string) => (json ? console.error(text) : console.log(text))

const probe = await probeOllama(host)
const missing = [...new Set([...models, agentModel])].filter((m) => !hasModel(probe, m))
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

const quality = (scores: number[]) => {
  const judged = pairs.map((p, i) => ({ score: scores[i], positive: p.equivalent })).filter((s) => Number.isFinite(s.score))
  const accepted = judged.filter((s) => s.score >= 0.5)
  return {
    rocAuc: rocAuc(judged),
    precisionAt05: accepted.length === 0 ? Number.NaN : accepted.filter((s) => s.positive).length / accepted.length,
    recallAt05: accepted.filter((s) => s.positive).length / Math.max(1, judged.filter((s) => s.positive).length),
    failed: scores.length - judged.length,
  }
}
const stats = (ms: number[]) => ({ medianMs: median(ms), p95Ms: p95(ms) })
type Run = ReturnType<typeof stats> & ReturnType<typeof quality>

// 1. Per model: the mode the judge settles in, and each verdict's latency and quality, next to JSON asked for outright.
const perModel: Record<string, { mode: string; reason: string; coldStartMs: number; auto: Run; json: Run }> = {}
for (const judgeModel of models) {
  const judge = await createOllamaJudge({ host, model: judgeModel, timeoutMs })
  const jsonJudge = await createOllamaJudge({ host, model: judgeModel, timeoutMs, scoring: 'json' })
  const cold = await timed(() => judge.judge('warm up', [asCandidate('warm up')], NO_DEADLINE).catch(() => []))
  say(`bench:ollama: ${judgeModel} at ${host}; first call (load) ${cold.ms.toFixed(0)} ms; scoring ${pairs.length} pairs both ways ...`)
  const runs = { auto: { ms: [] as number[], scores: [] as number[] }, json: { ms: [] as number[], scores: [] as number[] } }
  for (const pair of pairs) {
    for (const [name, j] of [['auto', judge], ['json', jsonJudge]] as const) {
      const { ms, value } = await timed(() => j.judge(pair.a, [asCandidate(pair.b)], NO_DEADLINE).catch(() => [{ score: Number.NaN }]))
      runs[name].ms.push(ms)
      runs[name].scores.push(value[0].score)
    }
  }
  const { mode = 'unknown', reason = 'no verdict came back' } = judge.scoring ?? {}
  perModel[judgeModel] = { mode, reason, coldStartMs: cold.ms, auto: { ...stats(runs.auto.ms), ...quality(runs.auto.scores) }, json: { ...stats(runs.json.ms), ...quality(runs.json.scores) } }
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
    ;(batching[name] ??= []).push(ms / lookup.candidates.length)
  }
}

// 3. The agent's request while 6 judge requests are queued: strict priority (one slot) vs none.
const agentChat = await createOllamaChat({ host, model: agentModel, timeoutMs, keepAlive: '30m' })
const agentAsk = () => agentChat({ messages: [{ role: 'user', content: 'Name three rivers in Europe, one line.' }], think: false, options: { temperature: 0, num_predict: 32 } })
const unscheduledJudge = await createOllamaJudge({ host, model, timeoutMs })
const scheduling: Record<string, number[]> = { 'agent alone': [], 'agent behind judge work, no scheduler': [], 'agent with strict priority': [] }
for (let round = 0; round < 5; round++) {
  scheduling['agent alone'].push((await timed(agentAsk)).ms)
  const flood = (judge: Awaited<ReturnType<typeof createOllamaJudge>>) => Promise.all(lookups.slice(0, 6).map((l) => judge.judge(l.query, [l.candidates[0]], NO_DEADLINE).catch(() => [])))
  const unscheduled = flood(unscheduledJudge)
  scheduling['agent behind judge work, no scheduler'].push((await timed(agentAsk)).ms)
  await unscheduled
  const shared = new Scheduler({ slots: 1, judgeConcurrency: 1 })
  const scheduledJudge = await createOllamaJudge({ host, model, timeoutMs, scheduler: shared })
  const queued = flood(scheduledJudge)
  scheduling['agent with strict priority'].push((await timed(() => shared.run('agent', agentAsk))).ms)
  await queued
}

const result = {
  host, agentModel, pairs: pairs.length, serverVersion: probe.version,
  models: perModel,
  batchingPerVerdict: Object.fromEntries(Object.entries(batching).map(([k, v]) => [k, stats(v)])),
  scheduling: Object.fromEntries(Object.entries(scheduling).map(([k, v]) => [k, stats(v)])),
}
if (json) console.log(JSON.stringify(result, null, 2))
else {
  const f = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '-')
  const line = (v: Run) => `median ${f(v.medianMs)} ms, p95 ${f(v.p95Ms)} ms per verdict; ROC-AUC ${f(v.rocAuc, 3)}, at score >= 0.5 precision ${f(v.precisionAt05, 3)} recall ${f(v.recallAt05, 3)}${v.failed ? `; ${v.failed} failed` : ''}`
  console.log(`\nThe judge's mode and latency per verdict, per model, on fixtures/pairs/example.jsonl (${pairs.length} pairs; Ollama ${probe.version})`)
  for (const [name, m] of Object.entries(result.models)) {
    console.log(`  ${name}: ${m.mode === 'json' ? 'JSON' : m.mode} (${m.reason}); first call ${f(m.coldStartMs)} ms`)
    console.log(`    as it runs     ${line(m.auto)}`)
    console.log(`    JSON outright  ${line(m.json)}`)
  }
  console.log(`\nOne look-up with 3 candidates, ${model} (${lookups.length} look-ups)`)
  for (const [k, v] of Object.entries(result.batchingPerVerdict)) console.log(`  ${k.padEnd(24)} median ${f(v.medianMs)} ms, p95 ${f(v.p95Ms)} ms per verdict`)
  console.log('\nThe agent\'s request (32 tokens) while 6 judge requests are pending (5 rounds)')
  for (const [k, v] of Object.entries(result.scheduling)) console.log(`  ${k.padEnd(38)} median ${f(v.medianMs)} ms, p95 ${f(v.p95Ms)} ms`)
}
