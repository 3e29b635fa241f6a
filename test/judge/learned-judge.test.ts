import { describe, expect, it } from 'vitest'
import type { SemanticElement } from '../../src/core/semantic-element.js'
import { cosineSimilarity } from '../../src/core/util/vectors.js'
import { loadStaticEmbedder } from '../../src/embed/static-embedder.js'
import { recallAtPrecision, rocAuc } from '../../src/scoring/ranking-metrics.js'
import { loadLearnedJudge } from '../../src/judge/learned-judge.js'
import { createPolicy } from '../../src/judge/create-policy.js'
import { defaultThresholds, LEARNED_JUDGE_THRESHOLD } from '../../src/core/calibration/thresholds.js'
import { boostedLogit } from '../../training/boosted-trees.js'
import { MODEL_FEATURES } from '../../training/judge-recipe.js'
import { readAuthoredPairs } from '../../training/judge-data-sets.js'
import { checkFeatures, featureFingerprint } from '../../src/judge/learned/judge-weights.js'
import { contributions, logit } from '../../src/judge/learned/logistic-model.js'
import { trainLogistic } from '../../training/train-logistic.js'
import { setBalancedThreshold } from '../../training/set-balanced-threshold.js'
import { PAIR_FEATURES, pairFeatures } from '../../src/judge/learned/pair-features.js'
import { trainBoostedTrees } from '../../training/train-boosted-trees.js'

const embedder = loadStaticEmbedder()
const judge = loadLearnedJudge()
const options = { deadlineMs: Number.MAX_SAFE_INTEGER }

function element(query: string, embedderFingerprint = embedder.fingerprint): SemanticElement {
  return {
    id: 1, query, normalizedQuery: query, namespace: 'default', tool: 'search', args: {}, scopeKey: 's', source: '', embedder: embedderFingerprint,
    result: 'stored', latencyMs: 400, costUsd: 0.005, staticity: 5, frequency: 0, sizeBytes: 6, createdAt: 0, lastAccessAt: 0, expiresAt: 1, origin: 'miss',
  }
}
const candidate = (query: string, stored: string) => ({ element: element(stored), similarity: cosineSimilarity(embedder.embedOne(query), embedder.embedOne(stored)) })

describe('loadLearnedJudge', () => {
  it('loads the shipped weights once, for the features this version computes', () => {
    // When
    const again = loadLearnedJudge()
    // Then
    expect(again).toBe(judge)
    expect(judge.name).toBe('learned')
    expect(judge.weights.features).toEqual([...PAIR_FEATURES])
    expect(judge.weights.model).toBe('logistic-regression')
    expect(judge.weights.logistic.features).toEqual([...MODEL_FEATURES])
    expect(judge.weights.logistic.weights).toHaveLength(MODEL_FEATURES.length)
    expect(judge.weights.threshold.value).toBeGreaterThan(0)
    expect(judge.weights.threshold.value).toBeLessThan(1)
  })

  it('was trained on features computed as they are now (else: npm run train:judge)', () => {
    // Given the authored pairs, whose features the weights file fingerprinted when trained
    const rows = readAuthoredPairs().map((p) => {
      const cosine = cosineSimilarity(embedder.embedOne(p.a), embedder.embedOne(p.b))
      return pairFeatures(judge.prepare(p.a), judge.prepare(p.b), cosine)
    })
    // Then a change in the guard, the IDF table or a feature shows here
    expect(featureFingerprint(rows)).toBe(judge.weights.training.featureCheck)
  })

  it('refuses weights made for other features, saying how to rebuild them', () => {
    const rebuild = expect.objectContaining({ code: 'JUDGE', suggestions: [expect.stringContaining('npm run train:judge')] })
    expect(() => checkFeatures({ format: 'asteria-learned-judge', features: ['cosine'] }, 'old.json')).toThrow(rebuild)
    // A model over a feature this version does not compute is refused too
    expect(() => checkFeatures({ format: 'asteria-learned-judge', features: [...PAIR_FEATURES], logistic: { features: ['cosine', 'gone'] } }, 'old.json')).toThrow(rebuild)
  })
})

describe('LearnedJudge.judge', () => {
  it('returns one verdict per candidate, in order, each a score in 0..1 with its reasons', async () => {
    // Given a query and three stored questions: the same words, a paraphrase, another year
    const query = 'what was the population of France in 2020'
    const stored = ['what was the population of France in 2020', 'how many people lived in France in 2020', 'what was the population of France in 1990']
    // When
    const verdicts = await judge.judge(query, stored.map((s) => candidate(query, s)), options)
    // Then
    expect(verdicts).toHaveLength(3)
    verdicts.forEach((verdict, i) => {
      expect(verdict.score).toBeGreaterThanOrEqual(0)
      expect(verdict.score).toBeLessThanOrEqual(1)
      expect(verdict.reason).toMatch(/^learned: [+-]\w+/)
      const alone = judge.verdict(judge.prepare(query), judge.prepare(stored[i]), candidate(query, stored[i]).similarity)
      expect(verdict.score).toBeCloseTo(alone.score, 12)
    })
    expect(verdicts[0].score).toBeGreaterThan(verdicts[2].score)
  })

  // Known limitation of the linear model (PAWS held-out R@95%P 0.123, the trees had 0.339): a swap that keeps
  // every word scores above a shorter paraphrase. it.fails turns red once a model ranks them right.
  it.fails('scores a paraphrase above the same words swapped into another question', async () => {
    // Given
    const query = 'how do I convert a list to a string in python'
    // When
    const [paraphrase, swap] = await judge.judge(query, [candidate(query, 'python convert list to string'), candidate(query, 'how do I convert a string to a list in python')], options)
    // Then
    expect(paraphrase.score).toBeGreaterThan(swap.score)
  })

  it("works out the static cosine itself when the look-up's similarity came from another embedder", async () => {
    // Given the same stored question, once from the static embedder and once from another with an unrelated similarity
    const query = 'who wrote hamlet'
    const own = candidate(query, 'who is the author of hamlet')
    const foreign = { element: element('who is the author of hamlet', 'ollama:nomic-embed-text'), similarity: 0.01 }
    // When
    const [a, b] = await judge.judge(query, [own, foreign], options)
    // Then
    expect(b.score).toBeCloseTo(a.score, 5)
  })

  it('rejects at once when the look-up is already aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(judge.judge('who wrote hamlet', [candidate('who wrote hamlet', 'who wrote macbeth')], { ...options, signal: controller.signal })).rejects.toThrow()
  })
})

describe('the logistic model', () => {
  it('explains a score: the feature contributions add up to the logit less the bias', () => {
    // Given a pair's model features under the shipped model
    const model = judge.weights.logistic
    const all = pairFeatures(judge.prepare('who wrote hamlet'), judge.prepare('who wrote macbeth'), 0.8)
    const x = model.features.map((name) => all[PAIR_FEATURES.indexOf(name as (typeof PAIR_FEATURES)[number])])
    // When
    const shares = contributions(model, x)
    // Then
    expect(shares.reduce((s, c) => s + c.value, 0)).toBeCloseTo(logit(model, x) - model.bias, 9)
    expect(judge.verdict(judge.prepare('who wrote hamlet'), judge.prepare('who wrote macbeth'), 0.8).score).toBeCloseTo(1 / (1 + Math.exp(-logit(model, x))), 12)
  })

  it('is a line: boosted trees (kept for the transfer comparison) learn an XOR it cannot', () => {
    // Given points labelled by whether exactly one coordinate is above 0.5
    const rows = Array.from({ length: 400 }, (_, i) => [((i * 37) % 100) / 100, ((i * 61) % 97) / 97])
    const labels = rows.map(([u, v]) => u > 0.5 !== v > 0.5)
    // When
    const trees = trainBoostedTrees(rows, labels, rows.map(() => 1), { trees: 30, depth: 2, learningRate: 0.3, minLeaf: 5, bins: 16, l2: 1 })
    const line = trainLogistic(['u', 'v'], rows, labels, { l2: 1e-3 })
    // Then
    expect(rocAuc(rows.map((x, i) => ({ score: boostedLogit(trees, x), positive: labels[i] })))).toBeGreaterThan(0.98)
    expect(rocAuc(rows.map((x, i) => ({ score: logit(line, x), positive: labels[i] })))).toBeLessThan(0.7)
  })
})

describe('setBalancedThreshold', () => {
  it('weighs every set the same, so a big easy set cannot hide a small hard one', () => {
    // Given a big set (positives 0.600..0.649 above its negatives) and a small one whose negative sits among them
    const big = Array.from({ length: 100 }, (_, i) => ({ score: i < 50 ? 0.6 + i / 1000 : 0.5 - i / 1000, positive: i < 50, set: 'big' }))
    const small = [
      { score: 0.6205, positive: false, set: 'small' },
      { score: 0.7, positive: true, set: 'small' },
    ]
    const items = [...big, ...small]
    // When
    const balanced = setBalancedThreshold(items, 0.9)
    // Then pooling pair by pairs would accept the small set's negative (51 of 52 right), set-balanced does not
    expect(recallAtPrecision(items, 0.9).threshold).toBe(0.6)
    expect(balanced.threshold).toBeCloseTo(0.621, 9)
    expect(balanced.precision).toBe(1)
    expect(balanced.recall).toBeCloseTo((29 / 50 + 1) / 2, 9)
    expect(setBalancedThreshold(items.filter((i) => !i.positive), 0.9).threshold).toBe(Number.POSITIVE_INFINITY)
  })
})

describe('the learned hit policy', () => {
  it('runs the guard first and uses the threshold chosen in training (src/core/calibration/thresholds.ts must follow the weights file)', async () => {
    // Given the learned policy as --judge learned builds it
    const policy = createPolicy('learned')
    // Then the guard runs first, and the default tau_judge is the one stored with the weights
    expect(policy).toMatchObject({ name: 'learned', useGuard: true })
    expect(policy.judge?.name).toBe('learned')
    expect(defaultThresholds('static:x', 'learned').tauJudge).toBe(LEARNED_JUDGE_THRESHOLD)
    expect(LEARNED_JUDGE_THRESHOLD).toBe(loadLearnedJudge().weights.threshold.value)
  })
})
