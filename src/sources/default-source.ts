import { join } from 'node:path'
import { LocalCorpusSource } from './local-corpus.js'
import { SimulatedRegion, type LatencyRange, type Sleep } from './simulated-region.js'

export interface LocalSourceOptions {
  /** Asteria's data folder; the corpus index is kept there as corpus-index.sqlite. */
  dataDir: string
  latency?: LatencyRange | number
  priceUsd?: number
  seed?: number
  sleep?: Sleep
  /** Another corpus fixture in the same format (tests); defaults to the shipped one. */
  fixtureFile?: string
}

/** The default knowledge source: the shipped Wikipedia paragraphs behind a simulated remote region. */
export function createLocalSource(options: LocalSourceOptions): SimulatedRegion {
  const local = new LocalCorpusSource({ dbPath: join(options.dataDir, 'corpus-index.sqlite'), fixtureFile: options.fixtureFile })
  return new SimulatedRegion(local, { latency: options.latency, priceUsd: options.priceUsd, seed: options.seed, sleep: options.sleep })
}
