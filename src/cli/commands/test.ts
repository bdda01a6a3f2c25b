// `claimguard test`: runs the policy's test suites against the bundle that ships (built in memory
// from the policy, or --bundle), with coverage per route × requirement. Exit 0 when every case
// passes (and coverage meets --min-coverage), 1 on any failure, 2 on usage, policy or suite errors.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { bundleEngine } from '../../testing/bundle-engine.js';
import type { DecisionEngine } from '../../testing/engine.js';
import { formatSuiteErrors } from '../../testing/errors.js';
import { loadSuites } from '../../testing/load-suites.js';
import { jsonReport } from '../../testing/report/json.js';
import { junitReport } from '../../testing/report/junit.js';
import { coverageOk, prettyReport } from '../../testing/report/pretty.js';
import { caseMatcher, runSuites } from '../../testing/run.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, usageError, type CliContext, type CliIo, type ExitCode } from '../io.js';
import { addPoliciesOption, DEFAULT_POLICIES, loadPolicyForCli } from '../policy.js';
import { failureSummary, formatProblems } from '../report.js';

export type TestFormat = 'pretty' | 'json' | 'junit';

export interface TestOptions {
  readonly policies?: string;
  readonly bundle?: string;
  readonly format?: TestFormat;
  readonly output?: string;
  readonly filter?: string;
  readonly coverage?: boolean;
  readonly minCoverage?: string;
}

export function registerTest(program: Command, ctx: CliContext): void {
  const command = program
    .command('test')
    .description('run policies/**/*.test.yaml (and the policy\'s tests: globs) against the compiled bundle, with coverage')
    .option('--bundle <file>', 'test this bundle instead of building one from the policy in memory')
    .addOption(new Option('--format <format>', 'report format').choices(['pretty', 'json', 'junit']).default('pretty'))
    .option('--output <file>', 'write the report here (the pretty report still goes to stdout)')
    .option('--filter <pattern>', 'run only cases whose "<suite file> › <case name>" contains this (or matches /regex/)')
    .option('--coverage', 'show coverage per route × requirement')
    .option('--min-coverage <percent>', 'fail (exit 1) when coverage is below this percentage');
  addPoliciesOption(command).action(async (options: TestOptions) => {
    ctx.exitCode = await runTest(ctx.io, options);
  });
}

export async function runTest(io: CliIo, options: TestOptions): Promise<ExitCode> {
  let minCoverage: number | undefined;
  if (options.minCoverage !== undefined) {
    minCoverage = Number(options.minCoverage);
    if (options.minCoverage.trim() === '' || !Number.isFinite(minCoverage) || minCoverage < 0 || minCoverage > 100) {
      return usageError(io, `--min-coverage must be a percentage from 0 to 100 (got "${options.minCoverage}")`);
    }
  }
  try {
    caseMatcher(options.filter);
  } catch (cause) {
    return usageError(io, `--filter ${options.filter ?? ''} is not a valid regular expression: ${cause instanceof Error ? cause.message : String(cause)}`);
  }

  const policy = await loadPolicyForCli(io, options.policies);
  if (policy.ok === 'usage') return usageError(io, policy.message);
  if (!policy.ok) {
    io.stderr.write(`${formatProblems(policy.errors)}\n${failureSummary(policy.errors, policy.warnings)}\n`);
    return EXIT_USAGE;
  }
  const entryFile = resolve(io.cwd, options.policies ?? DEFAULT_POLICIES);
  const loaded = await loadSuites({ ir: policy.ir, entryFile, baseDir: io.cwd });
  if (!loaded.ok) {
    io.stderr.write(formatSuiteErrors(loaded.errors));
    return EXIT_USAGE;
  }

  let engine: DecisionEngine;
  try {
    engine = await bundleEngine(policy.ir, options.bundle === undefined ? undefined : resolve(io.cwd, options.bundle));
  } catch (cause) {
    const code = (cause as { code?: unknown } | null)?.code;
    const message = cause instanceof Error ? cause.message : String(cause);
    if (code === 'BUNDLE_NOT_FOUND') return usageError(io, message);
    io.stderr.write(`claimguard: cannot load the bundle to test${typeof code === 'string' ? ` (${code})` : ''}: ${message}\n`);
    return EXIT_FAILURE;
  }

  const result = runSuites(policy.ir, loaded.suites, engine, options.filter === undefined ? {} : { filter: options.filter });
  if (result.passed + result.failed + result.errors === 0) {
    return usageError(io, options.filter === undefined ? 'the test suites define no cases' : `--filter ${options.filter} matches no case`);
  }
  const reportOptions = { coverage: options.coverage === true, minCoverage };
  const format = options.format ?? 'pretty';
  const report =
    format === 'json' ? jsonReport(result, minCoverage) : format === 'junit' ? junitReport(result, minCoverage) : prettyReport(result, reportOptions);
  if (options.output !== undefined) {
    try {
      await writeFile(resolve(io.cwd, options.output), report);
    } catch (cause) {
      return usageError(io, `cannot write ${options.output}: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
    io.stdout.write(format === 'pretty' ? report : prettyReport(result, reportOptions));
  } else {
    io.stdout.write(report);
  }
  const failed = result.failed > 0 || result.errors > 0 || !coverageOk(result.coverage, minCoverage);
  return failed ? EXIT_FAILURE : EXIT_OK;
}
