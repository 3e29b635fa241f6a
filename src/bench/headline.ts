import type { Headline } from './bench-result.js'
import { bestAtFalseHitRate, lowestFalseHitRate, type CurvePoint } from './curve.js'

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`)

/** Compares the full pipeline and threshold-only at matched false-hit rates; null without intents to judge hits by. */
export function matchedHeadline(asteria: CurvePoint, thresholdCustomary: CurvePoint, curves: { threshold: CurvePoint[]; asteria: CurvePoint[] }): Headline | null {
  if (asteria.falseHitRate === null || thresholdCustomary.falseHitRate === null) return null
  const thresholdMatched = bestAtFalseHitRate(curves.threshold, asteria.falseHitRate)
  const asteriaMatched = bestAtFalseHitRate(curves.asteria, thresholdCustomary.falseHitRate)
  const thresholdLowest = lowestFalseHitRate(curves.threshold)
  const summary: string[] = []
  const asteriaText = `Asteria (tau ${asteria.tauSim}): hit rate ${pct(asteria.hitRate)}, false-hit rate ${pct(asteria.falseHitRate)}, ${asteria.correctHits} correct hits`
  if (thresholdMatched) {
    summary.push(`${asteriaText}; threshold-only at no more false hits (tau ${thresholdMatched.tauSim}): hit rate ${pct(thresholdMatched.hitRate)}, false-hit rate ${pct(thresholdMatched.falseHitRate)}, ${thresholdMatched.correctHits} correct hits.`)
  } else {
    summary.push(`${asteriaText}; threshold-only never gets that low on its curve (lowest false-hit rate ${pct(thresholdLowest?.falseHitRate ?? null)} at tau ${thresholdLowest?.tauSim ?? 'n/a'}, hit rate ${pct(thresholdLowest?.hitRate ?? null)}).`)
  }
  const customaryText = `Threshold-only at the customary tau ${thresholdCustomary.tauSim}: hit rate ${pct(thresholdCustomary.hitRate)}, false-hit rate ${pct(thresholdCustomary.falseHitRate)}, ${thresholdCustomary.correctHits} correct hits`
  summary.push(
    asteriaMatched
      ? `${customaryText}; Asteria at no more false hits (tau ${asteriaMatched.tauSim}): hit rate ${pct(asteriaMatched.hitRate)}, false-hit rate ${pct(asteriaMatched.falseHitRate)}, ${asteriaMatched.correctHits} correct hits.`
      : `${customaryText}; no Asteria setting on its curve gets as low.`,
  )
  summary.push(`Hits beyond exact repeats: Asteria ${asteria.hitsBeyondExactRepeats}, threshold-only at tau ${thresholdCustomary.tauSim} ${thresholdCustomary.hitsBeyondExactRepeats}.`)
  return {
    asteria,
    thresholdAtAsteriaFalseHitRate: thresholdMatched,
    thresholdCustomary,
    asteriaAtThresholdFalseHitRate: asteriaMatched,
    thresholdLowestFalseHitRate: thresholdLowest,
    summary,
  }
}
