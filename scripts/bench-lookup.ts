/**
 * One look-up end to end in a cache of N elements in one scope (default 100,000): the shipped
 * parts (static embedder, guard, SQLite store) as `asteria query` wires them, no source call.
 * Prints p50/p95 per stage: the exact match (normalise + indexed look-up), embedding, the k-nearest
 * search (vectors and element rows), the guard, and the decision record with its bookkeeping
 * (hit and counter updates), as the wall time of `cache.lookup` minus the stages before.
 *
 * Stored questions: distinct sentences of the shipped Wikipedia and Python/Node.js documentation
 * corpora; look-ups: the questions of the shipped search workload (SQuAD, PAWS, ... wordings), some
 * near a stored sentence, most not. The scope's vector layout at the end is printed too.
 *
 * Run: npm run bench:lookup [-- --elements 100000 --queries 300 --json]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { openAsteria } from '../src/asteria.js'
import { resolveConfig } from '../src/config/config.js'
import { normalizeQuery } from '../src/core/normalize.js'
import { loadStaticEmbedder } from '../src/embed/static-embedder.js'
import type { SqliteStore } from '../src/store/sqlite/sqlite-store.js'
import { corpusSentences, jsonLines } from './index/corpus-sentences.js'

const { values } = parseArgs({ options: { elements: { type: 'string', default: '100000' }, queries: { type: 'string', default: '300' }, json: { type: 'boolean', default: false } } })
const size = Number(values.elements)
const log = (text: string) => values.json || process.stderr.write(text)

const sentences = corpusSentences()
if (sentences.length < size) throw new Error(`the shipped corpora give ${sentences.length} distinct sentences; ask for at most that many --elements`)
const questions = [...new Set(jsonLines('workloads', 'search.jsonl.gz').map((r) => r.query))].slice(0, Number(values.queries))

const dir = mkdtempSync(join(tmpdir(), 'asteria-bench-lookup-'))
const embedder = loadStaticEmbedder()
const asteria = await openAsteria(resolveConfig({ db: join(dir, 'cache.sqlite'), dataDir: dir, latencyMs: 0 }, {}, dir).config, { embedder, onWarning: (message) => void process.stderr.write(`Warning: ${message}\n`) })
try {
  const started = performance.now()
  // The first element goes through the cache (its scope key, source and expiry as a store makes them); the rest in bulk.
  const first = await asteria.cache.store({ query: sentences[0], tool: 'search', result: { documents: [{ id: '0', text: sentences[0] }] } })
  const store = asteria.store as SqliteStore
  for (let from = 1; from < size; from += 2000) {
    const texts = sentences.slice(from, Math.min(size, from + 2000))
    const vectors = await embedder.embed(texts)
    await store.insert(texts.map((query, i) => ({
      element: { ...first, query, normalizedQuery: normalizeQuery(query), result: { documents: [{ id: String(from + i), text: query }] } },
      embedding: vectors[i],
    })))
    log(`\rstored ${Math.min(size, from + 2000)}`)
  }
  const buildSeconds = (performance.now() - started) / 1000
  const layout = store.vectorLayout(embedder.fingerprint, first.scopeKey)
  log(`\n${layout.phase}: searched by ${layout.searched}${layout.probes ? `, ${layout.probes} lists read per look-up` : ''}\n`)

  const stages = { exactMatch: [] as number[], embed: [] as number[], knn: [] as number[], guard: [] as number[], record: [] as number[], total: [] as number[] }
  let hits = 0
  for (const [round, question] of [...questions.slice(0, 10), ...questions].entries()) {
    const wall = performance.now()
    const { decision } = await asteria.cache.lookup(question, { tool: 'search' })
    const total = performance.now() - wall
    if (round < 10) continue // warm-up
    const t = decision.timings
    stages.exactMatch.push(t.normalizeMs)
    stages.embed.push(t.embedMs)
    stages.knn.push(t.searchMs)
    stages.guard.push(t.guardMs)
    stages.record.push(total - t.normalizeMs - t.embedMs - t.searchMs - t.guardMs - t.judgeMs)
    stages.total.push(total)
    if (decision.hit) hits++
  }
  const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)]
  const rows = Object.entries(stages).map(([stage, ms]) => ({ stage, p50Ms: percentile(ms, 0.5), p95Ms: percentile(ms, 0.95) }))
  const load = loadavg()[0]
  if (values.json) console.log(JSON.stringify({ elements: size, lookups: questions.length, hits, layout, buildSeconds, loadAverage: load, rows }, null, 2))
  else {
    console.log(`End-to-end look-up in one scope of ${size} elements (static embedder, guard, SQLite; no source call), ${questions.length} look-ups (${hits} hits); scope ${layout.phase}, searched by ${layout.searched}${layout.probes ? ` (${layout.probes} of ${layout.lists} lists)` : ''}; built in ${buildSeconds.toFixed(0)} s; load average ${load.toFixed(1)}`)
    console.log('stage                          p50 ms   p95 ms')
    const names: Record<string, string> = { exactMatch: 'exact match (normalise)', embed: 'embed', knn: 'k-nearest (vectors + rows)', guard: 'guard', record: 'decision record + bookkeeping', total: 'total' }
    for (const r of rows) console.log(`${names[r.stage].padEnd(30)} ${r.p50Ms.toFixed(2).padStart(7)} ${r.p95Ms.toFixed(2).padStart(8)}`)
  }
} finally {
  await asteria.close()
  rmSync(dir, { recursive: true, force: true })
}
