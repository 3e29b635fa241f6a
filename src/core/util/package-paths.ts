import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The package root (where package.json and fixtures/ live), from src/ or dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('asteria: cannot find the package root (package.json) above ' + dir)
    dir = parent
  }
  return dir
}

/** A file shipped in the package's fixtures/ folder. */
export function fixturePath(...parts: string[]): string {
  return join(packageRoot(), 'fixtures', ...parts)
}
