import type { Logprob, TokenLogprob } from 'ollama'
import type { JudgeVerdict } from '../core/ports/hit-policy.js'

/**
 * Turning a model's answer into a score in 0..1. From logprobs: P("yes") / (P("yes") + P("no"))
 * over the answer token's alternatives (the way Qwen3-Reranker scores a pair). From JSON:
 * "yes" maps to 0.5..1 and "no" to 0..0.49 by the stated confidence. Anything else is malformed:
 * it throws, so the look-up misses; it never becomes a hit.
 */
export class MalformedVerdictError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MalformedVerdictError'
  }
}

/** "Yes", " yes", "YES.", "ĠYes", "▁yes" -> "yes"; anything that is not yes or no -> undefined. */
export function answerWord(token: string): 'yes' | 'no' | undefined {
  const word = token.replace(/^[\sĠ▁"'`*_]+|[\s"'`*_.,!:;]+$/g, '').toLowerCase()
  return word === 'yes' || word === 'no' ? word : undefined
}

const FILLER = /^(\s*|<\/?think>|[\s"'`*_:]+)$/

/** The first generated token that is not whitespace, quoting or an empty think tag. */
export function firstAnswerToken(logprobs: Logprob[]): Logprob | undefined {
  return logprobs.find((token) => !FILLER.test(token.token))
}

function scoreOf(token: Logprob): number | undefined {
  const seen = new Map<string, number>()
  for (const alternative of [token as TokenLogprob, ...(token.top_logprobs ?? [])]) {
    if (typeof alternative?.token === 'string' && Number.isFinite(alternative.logprob)) seen.set(alternative.token, alternative.logprob)
  }
  let yes = 0
  let no = 0
  for (const [text, logprob] of seen) {
    const word = answerWord(text)
    if (word === 'yes') yes += Math.exp(logprob)
    if (word === 'no') no += Math.exp(logprob)
  }
  return yes + no > 0 ? yes / (yes + no) : undefined
}

/** P(yes) from the first answer token; the tokens before it may only be whitespace or empty think tags. */
export function scoreFromLogprobs(logprobs: Logprob[]): JudgeVerdict {
  const token = firstAnswerToken(logprobs)
  if (token === undefined) throw new MalformedVerdictError('the judge returned no answer token')
  const score = scoreOf(token)
  if (score === undefined) throw new MalformedVerdictError(`the judge answered ${JSON.stringify(token.token)}, not yes or no`)
  return { score, reason: `P(yes) ${score.toFixed(3)} from the first token` }
}

/** One P(yes) per numbered line ("1: yes\n2: no"): the k-th yes/no token answers candidate k. */
export function scoresFromBatchLogprobs(logprobs: Logprob[], count: number): JudgeVerdict[] {
  const answers = logprobs.filter((token) => answerWord(token.token) !== undefined)
  if (answers.length < count) {
    const text = logprobs.map((t) => t.token).join('').slice(0, 80)
    throw new MalformedVerdictError(`the judge answered ${answers.length} of ${count} candidates (${JSON.stringify(text)})`)
  }
  return answers.slice(0, count).map((token, i) => ({ score: scoreOf(token)!, reason: `P(yes) ${scoreOf(token)!.toFixed(3)} on line ${i + 1}` }))
}

interface StatedVerdict {
  answers: boolean
  confidence: number
}

function statedScore({ answers, confidence }: StatedVerdict): number {
  const c = Math.min(1, Math.max(0, confidence))
  return answers ? 0.5 + 0.5 * c : 0.49 * (1 - c)
}

function parseJson(content: string): unknown {
  try {
    return JSON.parse(content)
  } catch {
    throw new MalformedVerdictError(`the judge's JSON answer does not parse: ${JSON.stringify(content.slice(0, 80))}`)
  }
}

function checkStated(value: unknown, where: string): StatedVerdict {
  const v = value as Partial<StatedVerdict> | null
  if (typeof v?.answers !== 'boolean' || typeof v.confidence !== 'number' || !Number.isFinite(v.confidence)) {
    throw new MalformedVerdictError(`expected ${where} as {"answers": boolean, "confidence": number}, received ${JSON.stringify(value)?.slice(0, 80)}`)
  }
  return v as StatedVerdict
}

/** The structured-output fallback: {"answers": boolean, "confidence": number}. */
export function scoreFromJson(content: string): JudgeVerdict {
  const stated = checkStated(parseJson(content), 'the verdict')
  return { score: statedScore(stated), reason: `answered ${stated.answers ? 'yes' : 'no'} with confidence ${stated.confidence}` }
}

/** {"verdicts": [{"candidate": 1, "answers": true, "confidence": 0.9}, ...]}, matched by candidate number. */
export function scoresFromBatchJson(content: string, count: number): JudgeVerdict[] {
  const verdicts = (parseJson(content) as { verdicts?: unknown } | null)?.verdicts
  if (!Array.isArray(verdicts)) throw new MalformedVerdictError('expected {"verdicts": [...]} from the judge')
  return Array.from({ length: count }, (_, i) => {
    const entry = verdicts.find((v) => (v as { candidate?: unknown })?.candidate === i + 1) ?? verdicts[i]
    if (entry === undefined) throw new MalformedVerdictError(`the judge gave no verdict for candidate ${i + 1}`)
    const stated = checkStated(entry, `candidate ${i + 1}`)
    return { score: statedScore(stated), reason: `answered ${stated.answers ? 'yes' : 'no'} with confidence ${stated.confidence}` }
  })
}
