/**
 * One of the processes of `npm run stress:procs`: mixed look-ups (fetch-through, storing on a
 * miss) and hand-run evictions on a shared cache file. Prints "ack <id> <createdAt> <query>" for
 * every store it was told succeeded, and a final "done <ops> <errors>" line.
 */
import { SemanticCache } from '../../src/core/cache/semantic-cache.js'
import { pruneCache } from '../../src/core/admin/prune.js'
import { loadStaticEmbedder } from '../../src/embed/static-embedder.js'
import { sqlitePolicyStores } from '../../src/store/sqlite/sqlite-policy-stores.js'
import { openStore } from '../../src/store/sqlite/sqlite-store.js'

const [dbPath, workerText, opsText] = process.argv.slice(2)
const worker = Number(workerText)
const ops = Number(opsText)
const store = openStore(dbPath)
const policyStores = sqlitePolicyStores(store)
const cache = new SemanticCache({ store, embedder: loadStaticEmbedder(), policyStores, budget: { maxEntries: 1500, policy: 'lcfu' } })

let seed = 7919 * (worker + 1)
const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32)
const TOPICS = ['rivers', 'volcanoes', 'tax law', 'jazz', 'compilers', 'bees', 'glaciers', 'opera', 'satellites', 'ferns']

let errors = 0
const out: string[] = []
for (let i = 0; i < ops; i++) {
  try {
    if (random() < 0.02) {
      await pruneCache(cache, { maxEntries: 1200 }, policyStores)
      continue
    }
    const n = Math.floor(random() ** 2 * 4000)
    const query = `question ${n} about ${TOPICS[n % TOPICS.length]} in year ${1900 + (n % 120)}`
    const answer = await cache.fetchThrough(query, async () => ({ result: { documents: [{ id: `d${n}`, text: `answer ${n}` }] }, costUsd: 0.001, latencyMs: 1 }))
    if (answer.source === 'remote' && answer.element) out.push(`ack ${answer.element.id} ${answer.element.createdAt} ${answer.element.query}`)
  } catch (error) {
    errors++
    process.stderr.write(`worker ${worker}: ${(error as Error).message}\n`)
  }
  if (out.length >= 200) process.stdout.write(out.splice(0).join('\n') + '\n')
}
await cache.close()
process.stdout.write((out.length ? out.join('\n') + '\n' : '') + `done ${ops} ${errors}\n`)
