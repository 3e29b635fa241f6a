import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    disableConsoleIntercept: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { NO_COLOR: '1', ASTERIA_CONFIG_DIR: '/nonexistent-asteria-config' },
  },
})
