import { existsSync, readFileSync } from 'node:fs'
import { fixturePath } from '../util/package-paths.js'
import type { NameLexicon } from './question.js'

let cached: NameLexicon | undefined

/**
 * Lower-cased words that are almost always names in the shipped corpus ("france",
 * "jefferson"), so the guard sees names in lower-case questions too. Empty if not shipped.
 */
export function loadNameLexicon(): NameLexicon {
  if (cached) return cached
  const path = fixturePath('lexicon', 'proper-nouns.txt')
  cached = new Set(existsSync(path) ? readFileSync(path, 'utf8').split('\n').map((w) => w.trim()).filter(Boolean) : [])
  return cached
}
