import { createHash } from 'node:crypto'

export type PairSplit = 'train' | 'heldout'

/**
 * The fixed train / held-out split of any pairs file: sha1(a + "\t" + b), first byte < 128
 * is train. It depends only on the pair's text, so it is stable across files, runs and machines
 * and needs no stored list. Thresholds and mixes are tuned on train halves of "_ship" sets only;
 * held-out halves and evaluation-only sets (QQP, MRPC) are reported, never tuned on.
 */
export function pairSplit(a: string, b: string): PairSplit {
  return hashSplit(a + '\t' + b)
}

/**
 * The same split for the requests of a trace, by their intent (a request without one, by its
 * wording), so that all paraphrases of one question fall on the same side.
 */
export function intentSplit(intentOrWording: string): PairSplit {
  return hashSplit(intentOrWording)
}

function hashSplit(text: string): PairSplit {
  const firstByte = createHash('sha1').update(text, 'utf8').digest()[0]
  return firstByte < 128 ? 'train' : 'heldout'
}
