import { fociDiffer } from './focus.js'
import { loadNameLexicon } from './names.js'
import { analyseQuestion, type NameLexicon, type QuestionAnalysis } from './question.js'
import { alignmentOf, contentReasons } from './reasons/content.js'
import { polarityReasons } from './reasons/polarity.js'
import { quantityReasons } from './reasons/quantities.js'
import { nameOrderReasons, roleReasons } from './reasons/roles.js'
import type { GuardReason, GuardVerdict } from './verdict.js'

export type { GuardReason, GuardReasonKind, GuardVerdict, WordAlignment } from './verdict.js'
import { DEFAULT_MATCH_SETTINGS, type MatchSettings } from './word-match.js'

export interface GuardResources {
  /** Lower-case names (default: the lexicon shipped in fixtures/lexicon). */
  names?: NameLexicon
  match?: Partial<MatchSettings>
}

const ANALYSES = 4096
const analyses = new Map<string, QuestionAnalysis>()

/** A question read once and remembered (least recently used first out): stored questions are compared again and again. */
export function readQuestion(text: string, resources: GuardResources = {}): QuestionAnalysis {
  const names = resources.names ?? loadNameLexicon()
  const found = analyses.get(text)
  if (found && names === loadNameLexicon()) {
    analyses.delete(text)
    analyses.set(text, found)
    return found
  }
  const analysis = analyseQuestion(text, names)
  if (names === loadNameLexicon()) {
    analyses.set(text, analysis)
    if (analyses.size > ANALYSES) analyses.delete(analyses.keys().next().value!)
  }
  return analysis
}

/**
 * The first check of stage 2: may the candidate's stored answer answer the query? Two questions
 * pass only if every content word of each is said in the other (same lemma, WordNet synonym or
 * derivation, a compound's part, or a close word vector), no word stands against its WordNet
 * antonym, numbers, dates and units agree, the same words are negated and graded alike, the focus
 * (who / when / where / why / how many / how) agrees and no directed relation is reversed. It
 * errs towards rejecting: a needless miss costs one remote call, a false hit a wrong answer.
 */
export function checkGuard(query: string | QuestionAnalysis, candidate: string | QuestionAnalysis, resources: GuardResources = {}): GuardVerdict {
  const a = typeof query === 'string' ? readQuestion(query, resources) : query
  const b = typeof candidate === 'string' ? readQuestion(candidate, resources) : candidate
  const settings: MatchSettings = { ...DEFAULT_MATCH_SETTINGS, ...resources.match }
  const content = contentReasons(a, b, settings)
  const reasons: GuardReason[] = [...content.reasons, ...quantityReasons(a, b), ...polarityReasons(a, b, content.matches)]
  if (fociDiffer(a.focus, b.focus)) reasons.push({ kind: 'question-type', detail: `question focus "${a.focus.phrase}" (${a.focus.kind}) vs "${b.focus.phrase}" (${b.focus.kind})` })
  reasons.push(...roleReasons(a, b))
  if (!reasons.some((r) => r.kind === 'role')) reasons.push(...nameOrderReasons(a, b))
  const verdict: GuardVerdict = { pass: reasons.length === 0, reasons, alignment: alignmentOf(content.matches) }
  if (a.repairs.length > 0 || b.repairs.length > 0) verdict.repairs = { query: a.repairs, candidate: b.repairs }
  return verdict
}
