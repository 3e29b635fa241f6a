import { existsSync, readFileSync } from 'node:fs'
import { fixturePath } from '../util/package-paths.js'
import type { EnglishToken } from './english.js'

/**
 * Spoken self-corrections: "What was the Colonia Agrippina's original empire, sorry, name?"
 * asks for the name. A repair is a cue ("sorry", "or rather", "no wait", "I mean") between the
 * words taken back (the reparandum) and the words that replace them. The cue phrases are learned
 * from the Disfl-QA training split (fixtures/lexicon/repair-cues.json); where the reparandum starts
 * is read from the sentence itself: a restart ("What do petrologists no what do ..."), an exact
 * copy of the repair's first word, or the nearest run of words of the repair's part of speech
 * ("Irena Bajerska no Zbigniew Marek"). A cue with no such structure is left alone: then its words
 * stay in the question, and the guard is stricter, not looser.
 */
export interface Repair {
  cue: string
  /** The words taken back, as written. */
  reparandum: string
}

/** Cue words that are only hesitations ("uh", "ummm", "erm", "hmm"): removed even when no reparandum is found. */
const HESITATION = /^(u+h+|u+m+|e+r+m*|o+h+|a+h+|h+m+|m+)$/
/** A cue word followed by one of these is ordinary English ("rather than", "instead of", "sorry for"). */
const NOT_A_CUE_BEFORE: Record<string, string[]> = { rather: ['than'], instead: ['of'], sorry: ['for', 'to', 'about'], mean: ['by'], like: ['to'] }
/** Words after a cue that introduce the repair without being part of it ("no sorry, it was Warsaw"). */
const REPAIR_LEAD_INS = new Set(['it', 'was', 'is', "'s", 'its', 'i', 'should', 'be', 'say', ','])
const WH_WORDS = new Set(['what', 'which', 'who', 'whom', 'whose', 'when', 'where', 'why', 'how'])
const MAX_REPARANDUM = 10
const MAX_GAP = 3

let cues: Map<string, string[][]> | undefined

/** The learned cue phrases by first word, longest first. */
function learnedCues(): Map<string, string[][]> {
  if (!cues) {
    const path = fixturePath('lexicon', 'repair-cues.json')
    const file = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { cues: { phrase: string }[] }) : { cues: [] }
    const phrases = file.cues.map((c) => c.phrase.split(' ')).sort((a, b) => b.length - a.length)
    cues = new Map()
    for (const phrase of phrases) cues.set(phrase[0], [...(cues.get(phrase[0]) ?? []), phrase])
  }
  return cues
}

const word = (t: EnglishToken | undefined) => t?.normal ?? ''
const CONTENT_POS = new Set(['PROPN', 'NOUN', 'VERB', 'ADJ', 'NUM', 'ADV'])

/** "no" takes back what came before unless it is a determiner ("have no army", "no longer"). */
function noIsCue(tokens: EnglishToken[], i: number): boolean {
  const next = tokens[i + 1]
  const previous = tokens[i - 1]
  if (!next || !previous) return false
  if (HESITATION.test(previous.normal)) return true // "uh, no, ..."
  if (['NOUN', 'ADJ', 'NUM', 'ADV'].includes(next.pos)) return ['NOUN', 'PROPN', 'NUM'].includes(previous.pos) && next.pos !== 'ADV'
  return true
}

/** The cue phrase starting at token i (longest learned phrase, in context), as a token count, or 0. */
function cueAt(tokens: EnglishToken[], i: number): number {
  if (HESITATION.test(word(tokens[i]))) return 1
  for (const phrase of learnedCues().get(word(tokens[i])) ?? []) {
    if (!phrase.every((w, k) => word(tokens[i + k]) === w)) continue
    const last = phrase[phrase.length - 1]
    if (NOT_A_CUE_BEFORE[last]?.includes(word(tokens[i + phrase.length]))) continue
    if (phrase.length === 1 && last === 'no' && !noIsCue(tokens, i)) continue
    return phrase.length
  }
  return 0
}

/** The nearest run of words of part of speech `pos` before the cue ("Duke of Cumberland", "Irena Bajerska"), as [start, end). */
function nearestRun(tokens: EnglishToken[], live: (i: number) => boolean, from: number, to: number, pos: string): [number, number] | undefined {
  for (let j = to - 1; j >= from; j--) {
    if (!live(j) || tokens[j].pos !== pos) continue
    let start = j
    for (;;) {
      if (start - 1 >= from && live(start - 1) && tokens[start - 1].pos === pos) start--
      else if (pos === 'PROPN' && start - 2 >= from && tokens[start - 1].normal === 'of' && tokens[start - 2].pos === pos) start -= 2
      else break
    }
    return [start, j + 1]
  }
  return undefined
}

/**
 * Where the words a repair takes back start and end, and where its lead-in ("it was") ends, or
 * undefined when the sentence shows no repair.
 */
function reparandum(tokens: EnglishToken[], removed: Set<number>, cueStart: number, repairStart: number, strongCue: boolean): { span: [number, number]; leadIn: number } | undefined {
  const live = (i: number) => !removed.has(i) && tokens[i].pos !== 'PUNCT'
  let first = repairStart
  while (first < tokens.length && (REPAIR_LEAD_INS.has(word(tokens[first])) || ['PUNCT', 'INTJ'].includes(tokens[first].pos))) first++
  const repair = tokens[first]
  const firstLive = tokens.findIndex((_, i) => live(i))
  if (!repair || firstLive === -1 || firstLive >= cueStart) return undefined
  const found = (span: [number, number]) => ({ span, leadIn: first })
  // A restart: the repair starts the question over.
  if (WH_WORDS.has(word(repair)) || repair.lemma === tokens[firstLive].lemma) return found([firstLive, cueStart])
  let content = first
  while (content < tokens.length && !CONTENT_POS.has(tokens[content].pos)) content++
  const kind = tokens[content]?.pos
  if (!kind) return undefined
  // An exact copy of the repair's first word ("... the second level no make that the basic unit"); a name
  // is what speakers correct most, so a repaired name replaces the nearest name instead ("Schuenemann's study ... the Haensch study").
  for (let j = cueStart - 1; kind !== 'PROPN' && j >= Math.max(firstLive, cueStart - MAX_REPARANDUM); j--) {
    if (live(j) && tokens[j].normal === repair.normal && tokens[j].pos === repair.pos) return found([j, cueStart])
  }
  // The nearest run of words of the repair's part of speech (a name for a name, else a noun for a name too).
  const run = nearestRun(tokens, live, firstLive, cueStart, kind) ?? (kind === 'PROPN' ? nearestRun(tokens, live, firstLive, cueStart, 'NOUN') : undefined)
  if (run) {
    // A substitution at the end ("When was Frankfurt ranked ..., no sorry, it was Warsaw?"): only the run is taken back.
    const repairEndsQuestion = tokens.slice(content + 1).every((t) => t.pos === 'PUNCT' || t.pos === 'PART' || t.pos === kind)
    if (repairEndsQuestion) return found(run)
    if (cueStart - run[1] <= MAX_GAP && cueStart - run[0] <= MAX_REPARANDUM) return found([run[0], cueStart])
  }
  // The one word right before the cue ("a fundamental no another function").
  let before = cueStart - 1
  while (before >= firstLive && tokens[before].pos === 'PUNCT') before--
  if (before >= firstLive && live(before) && CONTENT_POS.has(tokens[before].pos)) return found([before, cueStart])
  // A strong cue before a whole new clause ("When a pathogen is met again scratch that I mean long-lived memory cells ..."): a restart.
  const contentAfter = tokens.slice(first).filter((t) => CONTENT_POS.has(t.pos)).length
  return strongCue && contentAfter >= 3 ? found([firstLive, cueStart]) : undefined
}

/** The self-corrections of a question, and which tokens they take back (reparandum and cue). */
export function findRepairs(tokens: EnglishToken[]): { removed: Set<number>; repairs: Repair[] } {
  const removed = new Set<number>()
  const repairs: Repair[] = []
  for (let i = 0; i < tokens.length; i++) {
    const length = cueAt(tokens, i)
    if (length === 0) continue
    let end = i + length
    for (let more = cueAt(tokens, end); more > 0; more = cueAt(tokens, end)) end += more // "no um sorry"
    const cueWords = tokens.slice(i, end).map((t) => t.text)
    const found = reparandum(tokens, removed, i, end, cueWords.length > 1)
    if (found) {
      const [from, to] = found.span
      for (let k = from; k < to; k++) removed.add(k)
      for (let k = i; k < found.leadIn; k++) removed.add(k)
      repairs.push({ cue: cueWords.join(' '), reparandum: tokens.slice(from, to).map((t) => t.text).join(' ') })
    } else {
      tokens.slice(i, end).forEach((t, k) => HESITATION.test(t.normal) && removed.add(i + k))
    }
    i = end - 1
  }
  return { removed, repairs }
}
