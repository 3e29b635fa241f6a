import { createRequire } from 'node:module'
import type WinkFn from 'wink-nlp'

type Wink = ReturnType<typeof WinkFn>

/** One token of a question as wink-nlp reads it. */
export interface EnglishToken {
  text: string
  /** Lower case, contractions expanded ("n't" -> "not", "'s" -> "is"). */
  normal: string
  /** Universal part of speech (NOUN, PROPN, VERB, ADJ, ADV, NUM, AUX, ADP, DET, PRON, PART, PUNCT, ...). */
  pos: string
  lemma: string
  /** wink's token type: word, number, ordinal, punctuation, currency, symbol, ... */
  type: string
  /** Inside the scope of a negation ("which birds can't *fly*"). */
  negated: boolean
  /** Character offsets in the question. */
  start: number
  end: number
  sentence: number
  /** wink's model tags the word as a stop word. */
  stopWord: boolean
}

let wink: Wink | undefined

/** wink-nlp with its English lite model, loaded on first use (about 80 ms), never at import. */
function english(): Wink {
  if (!wink) {
    const require = createRequire(import.meta.url)
    const winkNLP = require('wink-nlp') as typeof WinkFn
    wink = winkNLP(require('wink-eng-lite-web-model'), ['sbd', 'negation', 'pos'])
  }
  return wink
}

/** Tokens, parts of speech, lemmas, negation scope and sentences of a text (wink-nlp). */
export function readEnglish(text: string): EnglishToken[] {
  const nlp = english()
  const its = nlp.its
  const doc = nlp.readDoc(text)
  const sentenceOf: number[] = []
  doc.sentences().each((sentence, index) => {
    const [from, to] = sentence.out(its.span) as unknown as [number, number]
    for (let i = from; i <= to; i++) sentenceOf[i] = index
  })
  const tokens: EnglishToken[] = []
  let cursor = 0
  doc.tokens().each((token, index) => {
    const value = token.out(its.value)
    const normal = token.out(its.normal) ?? value.toLowerCase()
    // wink's lemmatiser answers nothing for some split contractions ("didnt" -> "did" + "nt")
    const lemma = token.out(its.lemma as unknown as typeof its.value) as string | undefined
    const start = text.indexOf(value, cursor)
    const at = start === -1 ? cursor + (token.out(its.precedingSpaces) as string).length : start
    cursor = at + value.length
    tokens.push({
      text: value,
      normal,
      pos: token.out(its.pos),
      lemma: typeof lemma === 'string' ? lemma.toLowerCase() : normal,
      type: token.out(its.type),
      negated: token.out(its.negationFlag) as unknown as boolean,
      start: at,
      end: at + value.length,
      sentence: sentenceOf[index] ?? 0,
      stopWord: token.out(its.stopWordFlag) as unknown as boolean,
    })
  })
  return tokens
}
