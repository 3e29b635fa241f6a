import { createHash } from 'node:crypto'
import { normalizeQuery } from '../src/core/normalize.js'

/**
 * A pair's identity for the training/evaluation overlap check: sha1 of both normalised texts,
 * sorted (so "a, b" and "b, a" and case or punctuation variants are the same pair), first 12 hex digits.
 */
export function pairHash(a: string, b: string): string {
  const [first, second] = [normalizeQuery(a), normalizeQuery(b)].sort()
  return createHash('sha1').update(`${first}\t${second}`, 'utf8').digest('hex').slice(0, 12)
}

/** Hash of a whole list of pair hashes (order-independent): names the training set in the weights file. */
export function pairListHash(hashes: Iterable<string>): string {
  return createHash('sha1').update([...hashes].sort().join('\n'), 'utf8').digest('hex')
}
