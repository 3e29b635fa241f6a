import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { normalizeQuery, tokenize } from '../src/core/normalize.js'
import { cosineSimilarity } from '../src/core/util/vectors.js'
import type { StaticEmbedder } from '../src/embed/static-embedder.js'
import type { IdfTable } from '../src/judge/learned/idf-table.js'
import type { LabelledPair } from './judge-data-sets.js'

/**
 * Non-equivalent pairs on the same topic, mined from ship:yes sources in ../shared/data. The
 * pair sets' own negatives are mostly unrelated questions, so a model trained on them alone
 * learns "same topic = same question" and fails on sets whose negatives share a topic (QQP).
 * Every generator is deterministic; none reads an evaluation-only set.
 */
export interface HardNegativeSet {
  name: string
  pairs: LabelledPair[]
}

const SQUAD_PARTS = [1, 2, 3].map((k) => join('corpus', `squad_train_1.1_paragraphs.part${k}of3.jsonl.gz`))
const LCQUAD = join('qa', 'lcquad2', 'lcquad2_train_answered.jsonl')
const BANKING77 = join('intents', 'train.csv')

export function mineHardNegatives(dataDir: string, embedder: StaticEmbedder, idf: IdfTable, perSet: number): HardNegativeSet[] {
  const present = (path: string) => existsSync(join(dataDir, path))
  return [
    SQUAD_PARTS.every(present) ? { name: 'squad_same_paragraph', pairs: squadSameParagraph(dataDir, embedder, perSet) } : null,
    present(LCQUAD) ? { name: 'lcquad_same_entity', pairs: lcquadSameEntity(dataDir, idf, perSet) } : null,
    present(BANKING77) ? { name: 'banking77_nearest_other_intent', pairs: bankingNearestOtherIntent(dataDir, embedder, perSet) } : null,
  ].filter((set): set is HardNegativeSet => set !== null)
}

/** Two questions on one SQuAD paragraph whose answers differ: the most similar such pair of each paragraph. */
function squadSameParagraph(dataDir: string, embedder: StaticEmbedder, limit: number): LabelledPair[] {
  const pairs: LabelledPair[] = []
  const pick = sampler(7)
  for (const part of SQUAD_PARTS) {
    for (const line of gunzipSync(readFileSync(join(dataDir, part))).toString('utf8').split('\n')) {
      if (line === '' || pairs.length >= limit || !pick(0.25)) continue
      const qas = (JSON.parse(line) as { qas: { question: string; answers: string[] }[] }).qas.map((q) => ({ text: q.question.trim(), answer: answerKey(q.answers[0]) }))
      const vectors = qas.map((q) => embedder.embedOne(q.text))
      let best: { a: string; b: string; cosine: number } | null = null
      for (let i = 0; i < qas.length; i++) {
        for (let j = i + 1; j < qas.length; j++) {
          const [p, q] = [qas[i], qas[j]]
          // Answers that contain one another may be the same answer ("1990s" / "the 1990s").
          if (p.answer.includes(q.answer) || q.answer.includes(p.answer) || sameText(p.text, q.text)) continue
          const cosine = cosineSimilarity(vectors[i], vectors[j])
          if (!best || cosine > best.cosine) best = { a: p.text, b: q.text, cosine }
        }
      }
      if (best) pairs.push({ a: best.a, b: best.b, equivalent: false })
    }
  }
  return pairs
}

/** Two LC-QuAD questions about different facts whose rarest word (usually the entity) is the same. */
function lcquadSameEntity(dataDir: string, idf: IdfTable, limit: number): LabelledPair[] {
  const byWord = new Map<string, string[]>()
  for (const line of readFileSync(join(dataDir, LCQUAD), 'utf8').split('\n')) {
    if (line === '') continue
    const question = String((JSON.parse(line) as { question?: unknown }).question ?? '').trim()
    const words = tokenize(question).filter((t) => !/\d/.test(t))
    if (question.length < 10 || words.length === 0) continue
    const rarest = words.reduce((m, t) => (idf.idf(t) > idf.idf(m) ? t : m))
    byWord.set(rarest, [...(byWord.get(rarest) ?? []), question])
  }
  const pairs: LabelledPair[] = []
  for (const questions of byWord.values()) {
    for (let i = 0; i + 1 < questions.length && pairs.length < limit; i += 2) {
      if (!sameText(questions[i], questions[i + 1])) pairs.push({ a: questions[i], b: questions[i + 1], equivalent: false })
    }
  }
  return pairs
}

/** A Banking77 query and its most similar query of another intent (a sample of a quarter of the queries). */
function bankingNearestOtherIntent(dataDir: string, embedder: StaticEmbedder, limit: number): LabelledPair[] {
  const pick = sampler(11)
  const queries = readFileSync(join(dataDir, BANKING77), 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line !== '' && pick(0.25))
    .map((line) => {
      const comma = line.lastIndexOf(',')
      return { text: line.slice(0, comma).replace(/^"|"$/g, ''), intent: line.slice(comma + 1) }
    })
  const vectors = queries.map((q) => embedder.embedOne(q.text))
  const pairs: LabelledPair[] = []
  for (let i = 0; i < queries.length && pairs.length < limit; i += 2) {
    let nearest = -1
    let bestCosine = -2
    for (let j = 0; j < queries.length; j++) {
      if (queries[j].intent === queries[i].intent || sameText(queries[j].text, queries[i].text)) continue
      const cosine = cosineSimilarity(vectors[i], vectors[j])
      if (cosine > bestCosine) [nearest, bestCosine] = [j, cosine]
    }
    if (nearest >= 0) pairs.push({ a: queries[i].text, b: queries[nearest].text, equivalent: false })
  }
  return pairs
}

/** One question asked twice (SQuAD repeats context-dependent ones like "What is it?"): no lesson about paraphrase. */
function sameText(a: string, b: string): boolean {
  return normalizeQuery(a) === normalizeQuery(b)
}

function answerKey(answer: string): string {
  return tokenize(answer).join(' ')
}

/** A seeded linear congruential coin: the same picks on every machine. */
function sampler(seed: number): (share: number) => boolean {
  let state = seed
  return (share) => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648 < share
  }
}
