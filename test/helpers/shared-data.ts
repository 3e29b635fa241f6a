import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inject } from 'vitest'
import type { TestProject } from 'vitest/node'
import { fixturePath } from '../../src/core/util/package-paths.js'
import { DOCS_FIXTURE } from '../../src/sources/docs-corpus.js'
import { openCorpusIndex } from '../../src/store/sqlite/corpus-store.js'

declare module 'vitest' {
  export interface ProvidedContext {
    sharedDataHome: string
  }
}

/**
 * Global setup: one XDG data folder for the whole run, its corpus and documentation indexes built
 * once here (~1.6 s) instead of by the first look-up of every test file. Tests only read them;
 * each test still has its own cache file.
 */
export default function buildSharedData(project: TestProject): () => void {
  const home = mkdtempSync(join(tmpdir(), 'asteria-test-data-'))
  openCorpusIndex(join(home, 'asteria', 'corpus-index.sqlite'), fixturePath('corpus', 'wiki-paragraphs.jsonl.gz')).close()
  openCorpusIndex(join(home, 'asteria', 'docs-index.sqlite'), fixturePath(...DOCS_FIXTURE)).close()
  project.provide('sharedDataHome', home)
  return () => rmSync(home, { recursive: true, force: true })
}

/** The run's XDG data folder: XDG_DATA_HOME for a spawned CLI; its `asteria` folder is a configuration's dataDir. */
export function sharedDataHome(): string {
  return inject('sharedDataHome')
}

/** The dataDir of a configuration built in a test (the corpus indexes are there). */
export function sharedDataDir(): string {
  return join(sharedDataHome(), 'asteria')
}
