/**
 * Rebuilds everything in fixtures/ from ../shared/data: runs each scripts/fixtures/build-*.ts
 * in its own process (so a builder may export main() or simply run), stopping at the first failure.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../src/core/util/package-paths.js'

const root = packageRoot()
const sharedData = join(root, '..', 'shared', 'data')
if (!existsSync(sharedData)) {
  console.error(
    `build:fixtures: the source data folder ${sharedData} is absent. ` +
      'The fixtures are built from it and already ship in fixtures/; to rebuild them, place the data set ' +
      'collection (see fixtures/SOURCES.md) at ../shared/data next to the package.',
  )
  process.exit(1)
}

const builders = readdirSync(join(root, 'scripts', 'fixtures'))
  .filter((name) => /^build-.*\.ts$/.test(name))
  .sort()
for (const name of builders) {
  console.error(`build:fixtures: ${name}`)
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'fixtures', name)], {
    cwd: root,
    stdio: 'inherit',
  })
  if (run.status !== 0) {
    console.error(`build:fixtures: ${name} failed (exit ${run.status ?? run.signal}); fixtures may be partly rebuilt.`)
    process.exit(run.status ?? 1)
  }
}
console.error(`build:fixtures: ${builders.length} builder(s) done`)
