// `claimguard test`: runs the policy's test suites against the bundle that ships (built in memory
// from the policy, or --bundle), with coverage per route × requirement. Exit 0 when every case
// passes (and coverage meets --min-coverage), 1 on a failing case or an invalid policy or suite
// (or a warning under --strict), 2 on usage or I/O errors. --watch re-runs on every change.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { formatSuiteErrors } from '../../testing/errors.js';
import { loadSuites } from '../../testing/load-suites.js';
import { githubAnnotations } from '../../testing/report/github.js';
import { jsonReport } from '../../testing/report/json.js';
import { junitReport } from '../../testing/report/junit.js';
import { coverageOk, prettyReport, type Paint, type ReportOptions } from '../../testing/report/pretty.js';
import { caseMatcher, runSuites, type TestRunResult } from '../../testing/run.js';
import { colorsFor } from '../color.js';
import { annotation, problemAnnotation } from '../github.js';
import { engineForCli } from '../engine.js';
import { EXIT_FAILURE, EXIT_OK, usageError, type CliContext, type CliIo, type ExitCode } from '../io.js';
import { addPoliciesOption, addStrictOption, DEFAULT_POLICIES, loadPolicyForCli } from '../policy.js';
import { failureSummary, formatProblems } from '../problems.js';
import { watchAndRerun } from '../watch.js';

export type TestFormat = 'pretty' | 'json' | 'junit' | 'github';

export interface TestOptions {
  readonly policies?: string;
  readonly bundle?: string;
  readonly format?: TestFormat;
  readonly output?: string;
  readonly filter?: string;
  readonly coverage?: boolean;
  readonly minCoverage?: string;
  readonly verbose?: boolean;
  readonly strict?: boolean;
  readonly watch?: boolean;
}

export function registerTest(program: Command, ctx: CliContext): void {
  const command = program
    .command('test')
    .description('run policies/**/*.test.yaml (and the policy\'s tests: globs) against the compiled bundle, with coverage')
    .option('--bundle <file>', 'test this bundle instead of building one from the policy in memory')
    .addOption(new Option('--format <format>', 'report format (github: workflow annotations at file:line)').choices(['pretty', 'json', 'junit', 'github']).default('pretty'))
    .option('--output <file>', 'write the report here (the pretty report still goes to stdout)')
    .option('--filter <pattern>', 'run only cases whose "<suite file> › <case name>" contains this (or matches /regex/); coverage counts only the routes they reach')
    .option('--coverage', 'show coverage per route × requirement')
    .option('--min-coverage <percent>', 'fail (exit 1) when coverage is below this percentage')
    .option('-v, --verbose', 'list every case, not only the failing ones')
    .option('--watch', 're-run whenever a policy, suite or bundle file changes (Ctrl-C stops)');
  addStrictOption(addPoliciesOption(command)).action(async (options: TestOptions) => {
    ctx.exitCode = await runTest(ctx.io, options);
  });
}

export async function runTest(io: CliIo, options: TestOptions): Promise<ExitCode> {
  if (options.minCoverage !== undefined) {
    const min = Number(options.minCoverage);
    if (options.minCoverage.trim() === '' || !Number.isFinite(min) || min < 0 || min > 100) {
      return usageError(io, `--min-coverage must be a percentage from 0 to 100 (got "${options.minCoverage}")`);
    }
  }
  try {
    caseMatcher(options.filter);
  } catch (cause) {
    return usageError(io, `--filter ${options.filter ?? ''} is not a valid regular expression: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  if (options.watch !== true) return (await testOnce(io, options)).code;
  const entry = resolve(io.cwd, options.policies ?? DEFAULT_POLICIES);
  return watchAndRerun(io, { entry, extra: options.bundle === undefined ? [] : [resolve(io.cwd, options.bundle)] }, async () => {
    const run = await testOnce(io, options);
    return { code: run.code, files: run.files };
  });
}

interface OneRun {
  readonly code: ExitCode;
  /** Absolute paths of every file this run read, for --watch. */
  readonly files: readonly string[];
}

async function testOnce(io: CliIo, options: TestOptions): Promise<OneRun> {
  const format = options.format ?? 'pretty';
  const github = format === 'github';
  const entryFile = resolve(io.cwd, options.policies ?? DEFAULT_POLICIES);
  const abs = (names: readonly string[]): string[] => names.map((n) => resolve(io.cwd, n));

  const policy = await loadPolicyForCli(io, options.policies, { strict: options.strict });
  if (policy.ok === 'usage') return { code: usageError(io, policy.message), files: [] };
  if (!policy.ok) {
    if (github) for (const p of [...policy.errors, ...policy.warnings]) io.stdout.write(problemAnnotation(p));
    io.stderr.write(`${formatProblems(policy.errors)}\n${failureSummary(policy.errors, policy.warnings)}\n`);
    return { code: EXIT_FAILURE, files: [entryFile] };
  }
  const policyFiles = abs(policy.files);
  const loaded = await loadSuites({ ir: policy.ir, entryFile, baseDir: io.cwd });
  if (!loaded.ok) {
    if (github) for (const e of loaded.errors) io.stdout.write(problemAnnotation(e));
    io.stderr.write(formatSuiteErrors(loaded.errors));
    return { code: EXIT_FAILURE, files: [...policyFiles, ...abs(loaded.errors.map((e) => e.file))] };
  }
  const files = [...policyFiles, ...abs(loaded.files)];

  const engine = await engineForCli(io, policy.ir, options.bundle, 'to test');
  if (typeof engine === 'number') return { code: engine, files };

  const result = runSuites(policy.ir, loaded.suites, engine, { filter: options.filter });
  if (result.passed + result.failed + result.errors === 0) {
    return { code: usageError(io, options.filter === undefined ? 'the test suites define no cases' : `--filter ${options.filter} matches no case`), files };
  }
  const minCoverage = options.minCoverage === undefined ? undefined : Number(options.minCoverage);
  const pretty = (): string => prettyReport(result, { coverage: options.coverage === true, minCoverage, verbose: options.verbose, paint: paintFor(io) });
  const report = formatReport(result, format, { coverage: options.coverage === true, minCoverage, verbose: options.verbose });
  if (options.output !== undefined) {
    try {
      await writeFile(resolve(io.cwd, options.output), report);
    } catch (cause) {
      return { code: usageError(io, `cannot write ${options.output}: ${cause instanceof Error ? cause.message : String(cause)}`), files };
    }
    io.stdout.write(pretty());
  } else {
    io.stdout.write(format === 'pretty' ? pretty() : report);
  }
  const failed = result.failed > 0 || result.errors > 0 || !coverageOk(result.coverage, minCoverage);
  return { code: failed ? EXIT_FAILURE : EXIT_OK, files };
}

/** The report in `format`, uncoloured (it may go to a file). */
function formatReport(result: TestRunResult, format: TestFormat, options: ReportOptions): string {
  switch (format) {
    case 'json':
      return jsonReport(result, options.minCoverage);
    case 'junit':
      return junitReport(result, options.minCoverage);
    case 'github': {
      // Annotations, then the summary line CI logs show.
      const notes = githubAnnotations(result, options).map(annotation).join('');
      return `${notes}${result.passed} passed, ${result.failed + result.errors} failed\n`;
    }
    case 'pretty':
      return prettyReport(result, options);
  }
}

function paintFor(io: CliIo): Paint {
  const c = colorsFor(io);
  return { pass: c.green, fail: c.red, dim: c.dim, heading: c.bold };
}
