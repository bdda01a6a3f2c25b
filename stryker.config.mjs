// Mutation testing (Stryker, vitest runner). `npm run mutation` runs every scope below one after
// the other through scripts/mutation.js; `npm run mutation -- policy` runs one. Each scope is a
// separate Stryker run so that each folder has to reach its own threshold (one run over all of
// them would let a strong folder carry a weak one). See CONTRIBUTING.md, "Mutation testing".
//
// Run directly, `npx stryker run` mutates every scope at once; `--mutate <glob>` narrows it.

/** Folders where requests, policies and bundles enter, with the score each must keep. */
export const scopes = {
  policy: { mutate: ['src/policy/**/*.ts'], break: 90 },
  decision: { mutate: ['src/decision/**/*.ts'], break: 98 },
  runtime: { mutate: ['src/runtime/**/*.ts'], break: 90 },
  bundle: { mutate: ['src/bundle/**/*.ts'], break: 90 },
  lambda: { mutate: ['src/lambda/**/*.ts'], break: 90 },
  authorizer: { mutate: ['src/authorizer/**/*.ts'], break: 90 },
};

const name = process.env['MUTATION_SCOPE'];
const scope = name === undefined || name === '' ? undefined : scopes[name];
if (name && scope === undefined) {
  throw new Error(`MUTATION_SCOPE must be one of ${Object.keys(scopes).join(', ')}, not ${JSON.stringify(name)}`);
}
const tag = name || 'all';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // The tests import the TypeScript sources directly; vitest transforms them, so no build step
  // runs in the sandbox. The few tests that read lib/ (the built runtime.wasm, the packed
  // examples) use the lib/ copied into the sandbox: `npm run mutation` builds first.
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  coverageAnalysis: 'perTest',
  // A mutant reached only while test files load (module top level, beforeAll: the loaded sample
  // policies, the compiled bundles) would need every related test file reloaded per mutant: hours.
  // Those are reported as Ignored; one that a test also reaches runs that test. The tests pinning
  // each folder call its code inside tests, so what is left ignored is load-time glue.
  ignoreStatic: true,
  // vitest strips the types; the sandbox never runs tsc (and the AssemblyScript sources are not TypeScript).
  disableTypeChecks: false,
  mutate: scope?.mutate ?? Object.values(scopes).flatMap((s) => s.mutate),
  // Two shared cores: one test runner keeps the machine usable, and mutants of the same file do
  // not race each other for CPU into false timeouts.
  concurrency: 1,
  // A busy machine stretches every run; a mutant is a timeout only well past its normal time.
  timeoutFactor: 3,
  timeoutMS: 20_000,
  dryRunTimeoutMinutes: 20,
  thresholds: { high: 95, low: 90, break: scope?.break ?? 90 },
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${tag}.html` },
  jsonReporter: { fileName: `reports/mutation/${tag}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: true },
  incrementalFile: `reports/mutation/${tag}.incremental.json`,
  // Other runs' sandboxes (a scope or file run with its own --tempDirName) are never copied.
  ignorePatterns: ['dist', 'coverage', 'reports', 'test-output', 'bench/cold/.probe-*', '*.tgz', '.stryker-tmp*'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
