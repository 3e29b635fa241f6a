import { createHash } from 'node:crypto'

export type PairSplit = 'train' | 'heldout'

/**
 * The fixed train / held-out split of any pairs file: sha1(a + "\t" + b), first byte < 128
 * is train. It depends only on the pair's text, so it is stable across files, runs and machines
 * and needs no stored list. Thresholds and mixes are tuned on train halves of "_ship" sets only;
 * held-out halves and evaluation-only sets (QQP, MRPC) are reported, never tuned on.
 */
export function pairSplit(a: string, b: string): PairSplit {
  const firstByte = createHash('sha1').update(a + '\t' + b, 'utf8').digest()[0]
  return firstByte < 128 ? 'train' : 'heldout'
}
