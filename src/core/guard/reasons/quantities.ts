import type { QuestionAnalysis } from '../question.js'
import { quoted, type GuardReason } from '../verdict.js'

const same = (x: Set<string>, y: Set<string>) => x.size === y.size && [...x].every((v) => y.has(v))

/** Numbers, dates (years, months, days) and units must be the same on both sides ("2020" vs "2021"). */
export function quantityReasons(a: QuestionAnalysis, b: QuestionAnalysis): GuardReason[] {
  const reasons: GuardReason[] = []
  if (!same(a.numbers, b.numbers)) reasons.push({ kind: 'number', detail: `number ${quoted(a.numbers)} vs ${quoted(b.numbers)}` })
  if (!same(a.dates, b.dates)) reasons.push({ kind: 'date', detail: `date ${quoted(a.dates)} vs ${quoted(b.dates)}` })
  if (!same(a.units, b.units)) reasons.push({ kind: 'unit', detail: `unit ${quoted(a.units)} vs ${quoted(b.units)}` })
  return reasons
}
