// vitest as Stryker runs it (stryker.config.mjs): the suite's configuration, with test files ordered
// for quick kills. Files that exercise only lib/ or outside tools are left out: they cannot notice
// a mutant of src/ (the packed tarball, the browser report) and cost seconds per mutant.
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';
import { MutationSequencer } from './test/setup/mutation-sequencer.js';

export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: ['**/node_modules/**', 'test/package/**', 'test/review/report.browser.test.ts'],
      sequence: { sequencer: MutationSequencer },
    },
  }),
);
