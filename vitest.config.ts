import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

// The shared-tier tests run on PGlite, and again on the real PostgreSQL that ASTERIA_TEST_PG_URL names
// when it is set (.ci/run starts one with scripts/pg-test-server.sh). Tests that only a real server makes
// honest (*.server.test.ts) run there alone, and skip with the reason when no server is given.
const realServer = Boolean(process.env.ASTERIA_TEST_PG_URL)
const SHARED_TIER_TESTS = ['test/store/postgres/**/*.test.ts', 'test/store/tiered/tiered-store.test.ts', 'test/bench/machines.test.ts']
const SERVER_ONLY_TESTS = 'test/**/*.server.test.ts'
// One data folder per run, with the corpus indexes built once (test/helpers/shared-data.ts).
const SHARED_DATA = 'test/helpers/shared-data.ts'
// Much of the test time is spent waiting for a spawned CLI or a loopback server, so as many test files
// run at once as there are cores (vitest's default, cores - 1, ran one file at a time on 2 cores:
// 322 s against 224 s with 3 at once). The real-server tests stay one file at a time: one of them
// restarts the server.
const PGLITE_WORKERS = availableParallelism()

export default defineConfig({
  test: {
    disableConsoleIntercept: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { NO_COLOR: '1', ASTERIA_CONFIG_DIR: '/nonexistent-asteria-config' },
    projects: [
      {
        extends: true,
        test: { name: 'pglite', maxWorkers: PGLITE_WORKERS, include: ['test/**/*.test.ts'], exclude: [SERVER_ONLY_TESTS], env: { ASTERIA_TEST_PG_URL: '' }, globalSetup: [SHARED_DATA] },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          maxWorkers: 1,
          include: realServer ? [...SHARED_TIER_TESTS, SERVER_ONLY_TESTS] : [SERVER_ONLY_TESTS],
          globalSetup: ['test/helpers/real-postgres-notice.ts', SHARED_DATA],
        },
      },
    ],
  },
})
