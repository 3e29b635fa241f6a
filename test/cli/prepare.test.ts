import { spawnSync } from 'node:child_process'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packageRoot } from '../../src/core/util/package-paths.js'

describe('npm prepare', () => {
  it('does not rebuild dist/ when `npx asteria` installs this folder into its cache (it once rewrote dist/ under running commands)', () => {
    // Given the package as npm ci built it
    const root = packageRoot()
    const built = statSync(join(root, 'dist', 'index.js')).mtimeMs
    // When npm runs `prepare` for npx (npm_command=exec), as `npx asteria` in a fresh npx cache does
    const run = spawnSync('node', ['scripts/prepare.mjs'], { cwd: root, env: { ...process.env, npm_command: 'exec' }, encoding: 'utf8' })
    // Then it succeeds without building: dist/ is as it was
    expect(run.status, run.stderr).toBe(0)
    expect(run.stdout).toBe('')
    expect(statSync(join(root, 'dist', 'index.js')).mtimeMs).toBe(built)
  })
})
