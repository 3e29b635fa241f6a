import type { CalibrationKey, CalibrationStore, HitScores, ThresholdChange } from '../../core/calibration/calibration.js'
import type { PrefetchTarget, Successor, TransitionStore } from '../../core/prefetch.js'
import type { BandCount } from '../../core/calibration/threshold-assessment.js'
import type { PostgresDatabase } from './database.js'

/** The prefetch model's counts in the shared tier: every machine's sessions teach one model. */
export class PostgresTransitionStore implements TransitionStore {
  constructor(private readonly db: PostgresDatabase) {}

  async observe(from: string | null, to: PrefetchTarget, now: number): Promise<void> {
    const s = this.db.schema
    await this.db.sql(
      `WITH state AS (
         INSERT INTO ${s}.prefetch_states (key, namespace, tool, args_json, scope_key, query, normalized_query, cost_usd, seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (key) DO UPDATE SET query = EXCLUDED.query, cost_usd = EXCLUDED.cost_usd, seen_at = EXCLUDED.seen_at)
       INSERT INTO ${s}.transitions AS t (from_key, to_key, count) SELECT $10, $1, 1 WHERE $10::text IS NOT NULL
       ON CONFLICT (from_key, to_key) DO UPDATE SET count = t.count + 1`,
      [to.key, to.namespace, to.tool, JSON.stringify(to.args), to.scopeKey, to.query, to.normalizedQuery, to.costUsd, Math.round(now), from],
    )
  }

  async successors(from: string, limit: number): Promise<{ total: number; successors: Successor[] }> {
    const s = this.db.schema
    const { rows } = await this.db.sql<{ count: number; total: number; key: string; namespace: string; tool: string; args_json: string; scope_key: string; query: string; normalized_query: string; cost_usd: number }>(
      `SELECT t.count, sum(t.count) OVER ()::bigint AS total, p.* FROM ${s}.transitions t JOIN ${s}.prefetch_states p ON p.key = t.to_key
       WHERE t.from_key = $1 ORDER BY t.count DESC, t.to_key LIMIT $2`,
      [from, limit],
    )
    const total = rows[0]?.total ?? 0
    return {
      total,
      successors: rows.map((r) => ({
        count: r.count,
        probability: r.count / total,
        target: {
          key: r.key, namespace: r.namespace, tool: r.tool, args: JSON.parse(r.args_json) as Record<string, unknown>,
          scopeKey: r.scope_key, query: r.query, normalizedQuery: r.normalized_query, costUsd: r.cost_usd,
        },
      })),
    }
  }
}

/** Calibration counts, thresholds and their history in the shared tier: every machine's verdicts calibrate one threshold. */
export class PostgresCalibrationStore implements CalibrationStore {
  constructor(private readonly db: PostgresDatabase) {}

  async addOutcome(key: CalibrationKey, band: number, wrong: boolean): Promise<void> {
    await this.db.sql(
      `INSERT INTO ${this.db.schema}.calibration_bands AS b (embedder, policy, axis, band, verified, wrong) VALUES ($1, $2, $3, $4, 1, $5)
       ON CONFLICT (embedder, policy, axis, band) DO UPDATE SET verified = b.verified + 1, wrong = b.wrong + EXCLUDED.wrong`,
      [key.embedder, key.policy, key.axis, band, wrong ? 1 : 0],
    )
  }

  async bands(key: CalibrationKey): Promise<BandCount[]> {
    const { rows } = await this.db.sql<BandCount>(
      `SELECT band, verified, wrong FROM ${this.db.schema}.calibration_bands WHERE embedder = $1 AND policy = $2 AND axis = $3 ORDER BY band`,
      [key.embedder, key.policy, key.axis],
    )
    return rows
  }

  async changeThresholds(embedder: string, policy: string, change: ThresholdChange): Promise<void> {
    const s = this.db.schema
    await this.db.sql(
      `WITH current AS (
         INSERT INTO ${s}.thresholds (embedder, policy, tau_sim, tau_judge, updated_at) VALUES ($1, $2, $3, $4, $8)
         ON CONFLICT (embedder, policy) DO UPDATE SET tau_sim = EXCLUDED.tau_sim, tau_judge = EXCLUDED.tau_judge, updated_at = EXCLUDED.updated_at)
       INSERT INTO ${s}.threshold_history (embedder, policy, tau_sim, tau_judge, action, status, reason, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [embedder, policy, change.tauSim, change.tauJudge, change.action, change.status, change.reason, Math.round(change.changedAt)],
    )
  }

  async history(embedder: string, policy: string, limit = 100): Promise<ThresholdChange[]> {
    const { rows } = await this.db.sql<{ tau_sim: number; tau_judge: number; action: ThresholdChange['action']; status: ThresholdChange['status']; reason: string; changed_at: number }>(
      `SELECT * FROM ${this.db.schema}.threshold_history WHERE embedder = $1 AND policy = $2 ORDER BY id DESC LIMIT $3`,
      [embedder, policy, limit],
    )
    return rows.map((r) => ({ tauSim: r.tau_sim, tauJudge: r.tau_judge, action: r.action, status: r.status, reason: r.reason, changedAt: r.changed_at }))
  }

  async reset(): Promise<{ verified: number; changes: number }> {
    const s = this.db.schema
    const { rows } = await this.db.sql<{ verified: string; changes: string }>(
      `WITH bands AS (DELETE FROM ${s}.calibration_bands RETURNING axis, verified),
            history AS (DELETE FROM ${s}.threshold_history RETURNING 1),
            thresholds AS (DELETE FROM ${s}.thresholds RETURNING 1),
            scores AS (DELETE FROM ${s}.hit_scores RETURNING 1)
       SELECT (SELECT COALESCE(SUM(verified), 0) FROM bands WHERE axis = 'sim') AS verified, (SELECT COUNT(*) FROM history) AS changes`,
    )
    return { verified: Number(rows[0].verified), changes: Number(rows[0].changes) }
  }

  async rememberHit(elementId: number, scores: HitScores, now: number): Promise<void> {
    await this.db.sql(
      `INSERT INTO ${this.db.schema}.hit_scores (element_id, similarity, judge_score, at) SELECT $1, $2, $3, $4
       WHERE EXISTS (SELECT 1 FROM ${this.db.schema}.elements WHERE id = $1)
       ON CONFLICT (element_id) DO UPDATE SET similarity = EXCLUDED.similarity, judge_score = EXCLUDED.judge_score, at = EXCLUDED.at`,
      [elementId, scores.similarity, scores.judgeScore, Math.round(now)],
    )
  }

  async hitScores(elementId: number): Promise<HitScores | undefined> {
    const { rows } = await this.db.sql<{ similarity: number | null; judge_score: number | null }>(
      `SELECT similarity, judge_score FROM ${this.db.schema}.hit_scores WHERE element_id = $1`,
      [elementId],
    )
    return rows[0] && { similarity: rows[0].similarity, judgeScore: rows[0].judge_score }
  }
}
