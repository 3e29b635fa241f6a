import { existsSync, readFileSync } from 'node:fs'
import { fixturePath } from './package-paths.js'
import type { EntityLexicon } from './query-facts.js'

let cached: EntityLexicon | undefined

/**
 * Lower-cased words that are almost always names in the shipped corpus ("france",
 * "jefferson"), so the guard sees entities in lower-case queries too. Empty if not shipped.
 */
export function loadEntityLexicon(): EntityLexicon {
  if (cached) return cached
  const path = fixturePath('lexicon', 'proper-nouns.txt')
  cached = new Set(existsSync(path) ? readFileSync(path, 'utf8').split('\n').map((w) => w.trim()).filter(Boolean) : [])
  return cached
}
