/**
 * The child of `npm run stress:crash`: stores elements in a loop through the real cache and
 * prints "ack <id> <query>" after each store has returned (i.e. committed), until it is killed.
 */
import { SemanticCache } from '../../src/core/cache/semantic-cache.js'
import { loadStaticEmbedder } from '../../src/embed/static-embedder.js'
import { openStore } from '../../src/store/sqlite/sqlite-store.js'

const [dbPath, worker] = process.argv.slice(2)
const cache = new SemanticCache({ store: openStore(dbPath), embedder: loadStaticEmbedder() })
for (let i = 0; ; i++) {
  const query = `crash test question ${worker} number ${i} about topic ${i % 97}`
  const element = await cache.store({ query, result: { documents: [{ id: String(i), text: 'x'.repeat(200 + (i % 800)) }] } })
  process.stdout.write(`ack ${element.id} ${query}\n`)
}
