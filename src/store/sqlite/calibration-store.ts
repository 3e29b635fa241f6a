import type Database from 'better-sqlite3'
import type { CalibrationKey, CalibrationStore, HitScores, ThresholdChange } from '../../core/calibration/calibration.js'
import type { BandCount } from '../../core/calibration/threshold-assessment.js'

interface HistoryRow {
  tau_sim: number
  tau_judge: number
  action: ThresholdChange['action']
  status: ThresholdChange['status']
  reason: string
  changed_at: number
}

/** Calibration counts per similarity band, the thresholds in force and their history, in the cache file. */
export class SqliteCalibrationStore implements CalibrationStore {
  constructor(private readonly db: Database.Database) {}

  async addOutcome(key: CalibrationKey, band: number, wrong: boolean): Promise<void> {
    this.db
      .prepare(`INSERT INTO calibration_bands (embedder, policy, axis, band, verified, wrong) VALUES (?, ?, ?, ?, 1, ?)
        ON CONFLICT (embedder, policy, axis, band) DO UPDATE SET verified = verified + 1, wrong = wrong + excluded.wrong`)
      .run(key.embedder, key.policy, key.axis, band, wrong ? 1 : 0)
  }

  async bands(key: CalibrationKey): Promise<BandCount[]> {
    return this.db
      .prepare('SELECT band, verified, wrong FROM calibration_bands WHERE embedder = ? AND policy = ? AND axis = ? ORDER BY band')
      .all(key.embedder, key.policy, key.axis) as BandCount[]
  }

  async changeThresholds(embedder: string, policy: string, change: ThresholdChange): Promise<void> {
    const at = Math.round(change.changedAt)
    this.db.transaction(() => {
      this.db
        .prepare('INSERT OR REPLACE INTO thresholds (embedder, policy, tau_sim, tau_judge, updated_at) VALUES (?, ?, ?, ?, ?)')
        .run(embedder, policy, change.tauSim, change.tauJudge, at)
      this.db
        .prepare(`INSERT INTO threshold_history (embedder, policy, tau_sim, tau_judge, action, status, reason, changed_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(embedder, policy, change.tauSim, change.tauJudge, change.action, change.status, change.reason, at)
    })()
  }

  async history(embedder: string, policy: string, limit = 100): Promise<ThresholdChange[]> {
    const rows = this.db
      .prepare('SELECT * FROM threshold_history WHERE embedder = ? AND policy = ? ORDER BY id DESC LIMIT ?')
      .all(embedder, policy, limit) as HistoryRow[]
    return rows.map((r) => ({ tauSim: r.tau_sim, tauJudge: r.tau_judge, action: r.action, status: r.status, reason: r.reason, changedAt: r.changed_at }))
  }

  async reset(): Promise<{ verified: number; changes: number }> {
    return this.db.transaction(() => {
      const { verified } = this.db.prepare('SELECT COALESCE(SUM(verified), 0) AS verified FROM calibration_bands WHERE axis = ?').get('sim') as { verified: number }
      const changes = this.db.prepare('DELETE FROM threshold_history').run().changes
      for (const table of ['calibration_bands', 'thresholds', 'hit_scores']) this.db.prepare(`DELETE FROM ${table}`).run()
      return { verified, changes }
    })()
  }

  async rememberHit(elementId: number, scores: HitScores, now: number): Promise<void> {
    this.db
      .prepare('INSERT OR REPLACE INTO hit_scores (element_id, similarity, judge_score, at) VALUES (?, ?, ?, ?)')
      .run(elementId, scores.similarity, scores.judgeScore, Math.round(now))
  }

  async hitScores(elementId: number): Promise<HitScores | undefined> {
    const row = this.db.prepare('SELECT similarity, judge_score FROM hit_scores WHERE element_id = ?').get(elementId) as
      | { similarity: number | null; judge_score: number | null }
      | undefined
    return row && { similarity: row.similarity, judgeScore: row.judge_score }
  }
}
