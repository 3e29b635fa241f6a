import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkImportGraph } from '../../scripts/import-graph.js'
import { useTempDirs } from '../helpers/temp-dir.js'

const SRC = join(import.meta.dirname, '..', '..', 'src')
const tempDir = useTempDirs()

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
}

describe('checkImportGraph', () => {
  it('catches a circle, a type-only circle, an upward import, long files and SQL outside the store in a made-up tree', () => {
    // Given a tree whose core imports the store, with two circles, a long file, a long command and SQL in a presenter
    const root = tempDir()
    writeTree(root, {
      'core/a.ts': "import { b } from './b.js'\nexport const a = () => b\n",
      'core/b.ts': "import { a } from './a.js'\nimport { db } from '../store/db.js'\nexport const b = () => [a, db]\n",
      'core/c.ts': "import type { D } from './d.js'\nexport type C = D[]\n",
      'core/d.ts': "export type { C as D } from './c.js'\n",
      'store/db.ts': "export const db = 'SELECT id FROM elements'\n",
      'report/query.ts': "export const q = 'DELETE FROM elements WHERE id = ?'\n",
      'commands/long.ts': 'export {}\n'.repeat(61),
      'long.ts': '// a line\n'.repeat(301),
    })

    // When it is checked
    const report = checkImportGraph(root)

    // Then every violation is reported
    expect(report.circles).toEqual(expect.arrayContaining([['core/a.ts', 'core/b.ts'], ['core/c.ts', 'core/d.ts']]))
    expect(report.circles).toHaveLength(2)
    expect(report.upwardImports).toEqual(['core/b.ts -> store/db.ts'])
    expect(report.longFiles).toEqual(['long.ts (301)'])
    expect(report.longCommands).toEqual(['commands/long.ts (61)'])
    expect(report.sqlOutsideStore).toEqual(['report/query.ts'])
    expect(report.filesPerFolder).toMatchObject({ core: 4, store: 1, '.': 1 })
  })

  describe('src', () => {
    const report = checkImportGraph(SRC)

    it('has no import circle, type-only imports included', () => {
      expect(report.circles).toEqual([])
    })

    it('has no circle between folders', () => {
      expect(report.folderCircles).toEqual([])
    })

    it('keeps core at the bottom: nothing in src/core imports another folder of src', () => {
      expect(report.upwardImports).toEqual([])
    })

    it('has no file over 300 lines', () => {
      expect(report.longFiles).toEqual([])
    })

    it('has no command over 60 lines', () => {
      expect(report.longCommands).toEqual([])
    })

    it('has no SQL outside src/store', () => {
      expect(report.sqlOutsideStore).toEqual([])
    })
  })
})
