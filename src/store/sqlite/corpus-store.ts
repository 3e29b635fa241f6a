import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { gunzipSync } from 'node:zlib'
import Database from 'better-sqlite3'
import { elapsedMs, startTimer } from '../../core/clock.js'
import { AsteriaError } from '../../core/errors.js'
import { tokenize } from '../../core/normalize.js'
import { isSqliteFileFailure } from '../store-errors.js'

/** One paragraph the corpus returned for a query; a higher score is a better match. */
export interface CorpusPassage {
  id: string
  title: string
  text: string
  score: number
}

export interface CorpusIndex {
  readonly path: string
  /** Whether this open (re)built the index from the fixture, and how long that took. */
  readonly built: boolean
  readonly buildMs: number
  readonly passageCount: number
  search(query: string, k: number): CorpusPassage[]
  close(): void
}

// Bump when the table layout or tokenizer changes: existing index files then rebuild.
const INDEX_FORMAT = 'fts5-porter-unicode61-v1'
const MAX_QUERY_TERMS = 32
const MAX_K = 100
// Title matches count double: they pick the article, the text picks the paragraph.
const BM25_WEIGHTS = '0.0, 2.0, 1.0'

// Question and function words: matching them ranks paragraphs by how often they say "the".
const SEARCH_STOPWORDS = new Set(
  ('a an the of in on at to for from by with about as into onto over under and or but if then is are was were be been ' +
    'being am do does did done have has had having what which who whom whose when where why how that this these those ' +
    "it its i you he she we they me my your his her our their them us can could should would will shall may might must " +
    'please tell show give find list there here than so such very just also any some all each every other s t d ll re ve m ' +
    'not no nor').split(' '),
)

/**
 * The FTS5 expression for a natural-language question: each content word quoted as a
 * string and OR-ed, so quotes, `*`, `^`, NEAR, AND/OR/NOT in user text are never syntax.
 * Undefined when nothing is left to search for.
 */
export function toMatchExpression(query: string): string | undefined {
  const terms = new Set<string>()
  for (const token of tokenize(query)) {
    for (const part of token.split(/['’]/)) {
      if (part !== '' && !SEARCH_STOPWORDS.has(part)) terms.add(part)
    }
  }
  if (terms.size === 0) return undefined
  return [...terms]
    .slice(0, MAX_QUERY_TERMS)
    .map((term) => `"${term}"`)
    .join(' OR ')
}

/**
 * Opens the paragraph index at dbPath, (re)building it from the gzipped JSON-lines fixture
 * when the file is new or the fixture's content hash differs from the one it was built from.
 */
export function openCorpusIndex(dbPath: string, fixtureFile: string): CorpusIndex {
  const fixture = readFixture(fixtureFile)
  const fingerprint = `${INDEX_FORMAT}:${createHash('sha256').update(fixture).digest('hex')}`
  mkdirSync(dirname(dbPath), { recursive: true })
  let db: Database.Database
  try {
    db = new Database(dbPath)
    db.pragma('journal_mode = WAL')
    // A first build takes seconds; a second process opening meanwhile waits for it.
    db.pragma('busy_timeout = 60000')
    db.exec('CREATE TABLE IF NOT EXISTS corpus_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)')
  } catch (error) {
    throw corpusIndexError(dbPath, fixtureFile, error)
  }
  try {
    const start = startTimer()
    const built = db.transaction(() => rebuildIfStale(db, fixture, fixtureFile, fingerprint)).immediate()
    const buildMs = built ? elapsedMs(start) : 0
    if (built) db.pragma('wal_checkpoint(TRUNCATE)')
    return corpusIndex(db, dbPath, built, buildMs, fixtureFile)
  } catch (error) {
    db.close()
    throw isSqliteFileFailure(error) ? corpusIndexError(dbPath, fixtureFile, error) : error
  }
}

/** Names the corpus index, so that a damaged one is never taken for the cache file. */
function corpusIndexError(dbPath: string, fixtureFile: string, error: unknown): AsteriaError {
  return new AsteriaError('STORE', `Expected a corpus index (SQLite) at ${dbPath}; could not read it: ${(error as Error).message}.`, {
    suggestions: [`Delete ${dbPath}: it is rebuilt from ${fixtureFile} on the next search.`],
    cause: error,
  })
}

function readFixture(fixtureFile: string): Buffer {
  if (!existsSync(fixtureFile)) {
    throw new AsteriaError('NOT_FOUND', `Expected the corpus fixture at ${fixtureFile}; the file does not exist.`, {
      suggestions: ['Reinstall asteria, or run `npm run build:fixtures` in a checkout.'],
    })
  }
  return readFileSync(fixtureFile)
}

function rebuildIfStale(db: Database.Database, fixture: Buffer, fixtureFile: string, fingerprint: string): boolean {
  const current = db.prepare("SELECT value FROM corpus_meta WHERE key = 'fingerprint'").get() as { value: string } | undefined
  if (current?.value === fingerprint) return false
  db.exec('DROP TABLE IF EXISTS passages')
  db.exec("CREATE VIRTUAL TABLE passages USING fts5(doc_id UNINDEXED, title, text, tokenize = 'porter unicode61 remove_diacritics 2')")
  const insert = db.prepare('INSERT INTO passages (doc_id, title, text) VALUES (?, ?, ?)')
  for (const passage of parseFixture(fixture, fixtureFile)) insert.run(passage.id, passage.title, passage.text)
  db.exec("INSERT INTO passages (passages) VALUES ('optimize')")
  db.prepare("INSERT OR REPLACE INTO corpus_meta (key, value) VALUES ('fingerprint', ?)").run(fingerprint)
  return true
}

function* parseFixture(fixture: Buffer, fixtureFile: string): Generator<{ id: string; title: string; text: string }> {
  let text: string
  try {
    text = gunzipSync(fixture).toString('utf8')
  } catch (error) {
    throw new AsteriaError('IMPORT', `Expected ${fixtureFile} to be gzipped JSON lines; it does not gunzip.`, {
      suggestions: ['Reinstall asteria, or rebuild it with `npm run build:fixtures`.'],
      cause: error,
    })
  }
  let lineNumber = 0
  for (const line of text.split('\n')) {
    lineNumber++
    if (line.trim() === '') continue
    const row = parseRow(line)
    if (row === undefined) {
      throw new AsteriaError('IMPORT', `Expected {"id", "title", "text"} strings on line ${lineNumber} of ${fixtureFile}; received: ${line.slice(0, 80)}`, {
        suggestions: ['Rebuild the fixture with `npm run build:fixtures`.'],
      })
    }
    yield row
  }
}

function parseRow(line: string): { id: string; title: string; text: string } | undefined {
  try {
    const row = JSON.parse(line) as Record<string, unknown>
    const { id, title, text } = row
    if (typeof id === 'string' && typeof title === 'string' && typeof text === 'string') return { id, title, text }
    return undefined
  } catch {
    return undefined
  }
}

function corpusIndex(db: Database.Database, path: string, built: boolean, buildMs: number, fixtureFile: string): CorpusIndex {
  const select = db.prepare(
    `SELECT doc_id AS id, title, text, bm25(passages, ${BM25_WEIGHTS}) AS rank
       FROM passages WHERE passages MATCH ? ORDER BY rank LIMIT ?`,
  )
  return {
    path,
    built,
    buildMs,
    // Counting an FTS5 table reads all of it (~80 ms here): only when asked.
    get passageCount() {
      return (db.prepare('SELECT count(*) AS n FROM passages').get() as { n: number }).n
    },
    search(query: string, k: number): CorpusPassage[] {
      if (!Number.isInteger(k) || k < 1 || k > MAX_K) {
        throw new AsteriaError('BAD_INPUT', `Expected k to be a whole number from 1 to ${MAX_K}; received ${k}.`)
      }
      const expression = toMatchExpression(query)
      if (expression === undefined) return []
      let rows: { id: string; title: string; text: string; rank: number }[]
      try {
        rows = select.all(expression, k) as typeof rows
      } catch (error) {
        throw isSqliteFileFailure(error) ? corpusIndexError(path, fixtureFile, error) : error
      }
      // bm25() is lower-is-better; flip it so callers can read a score.
      return rows.map(({ id, title, text, rank }) => ({ id, title, text, score: -rank }))
    },
    close(): void {
      db.close()
    },
  }
}
