import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    setupFiles: ['test/setup/fast-check.ts', 'test/setup/loop-watch.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // vitest's default is one worker per core minus one: a single worker on a 2-core CI machine,
    // where the main process mostly waits. Two workers use both cores.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
