import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packageRoot } from '../../src/core/util/package-paths.js'
import { main } from '../../scripts/fixtures/build-workloads.js'
import { useTempDirs } from '../helpers/temp-dir.js'

const DATA = resolve(packageRoot(), '..', 'shared', 'data')
const absent = existsSync(DATA) ? '' : ` (skipped: the source data ${DATA} is absent)`
const tempDir = useTempDirs()

describe('build-workloads main', () => {
  it.skipIf(absent !== '')(`rebuilds the shipped workloads byte for byte from the source data${absent}`, () => {
    // Given the ship:yes source data
    const out = tempDir()
    // When the workloads are built into a fresh folder
    const summaries = main(DATA, out)
    // Then they are exactly the shipped ones, and small
    expect(summaries.map((s) => s.name)).toEqual(['search', 'coding', 'coding-authored'])
    for (const { name, bytes } of summaries) {
      expect(readFileSync(join(out, `${name}.jsonl.gz`)).equals(readFileSync(join(packageRoot(), 'fixtures', 'workloads', `${name}.jsonl.gz`))), name).toBe(true)
      expect(bytes).toBeLessThan(300_000)
    }
  })
})
