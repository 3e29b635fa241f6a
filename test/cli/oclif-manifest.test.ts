import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packageRoot } from '../../src/core/util/package-paths.js'

/** Command ids of the built command files, as oclif names them ("cache:stats"). */
function builtCommandIds(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.js'))
    .map((file) => file.replace(/\.js$/, '').split('/').join(':'))
    .sort()
}

describe('the oclif manifest', () => {
  it('is written by the build for every built command, and kept out of git', () => {
    // Given the package after `npm run build` (npm test builds first)
    const root = packageRoot()
    const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as { commands: Record<string, { flags: Record<string, unknown> }> }
    // Then it lists exactly the built commands, with their flags, so `--help` reads it instead of importing every command
    expect(Object.keys(manifest.commands).sort()).toEqual(builtCommandIds(join(root, 'dist', 'commands')))
    expect(Object.keys(manifest.commands.query.flags)).toEqual(expect.arrayContaining(['json', 'latency', 'db']))
    // And git ignores it: it is generated, never committed
    expect(execFileSync('git', ['check-ignore', 'oclif.manifest.json'], { cwd: root, encoding: 'utf8' }).trim()).toBe('oclif.manifest.json')
  })
})
