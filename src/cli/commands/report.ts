// `claimguard report [--out FILE]`: runs the test suites against the compiled bundle and writes one
// self-contained HTML file: the routes × principals access matrix with allow/deny and the reasons
// on each cell, every route's requirements in words with their coverage, the uncovered outcomes
// and a filter box. The file is written even when cases fail (it shows them); the exit code then
// says so, as `test` would.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { accessMatrix } from '../../review/matrix.js';
import { reviewPrincipals } from '../../review/principals.js';
import { renderReport } from '../../review/render-html.js';
import { formatSuiteErrors } from '../../testing/errors.js';
import { loadSuites } from '../../testing/load-suites.js';
import { runSuites } from '../../testing/run.js';
import { engineForCli } from '../engine.js';
import { EXIT_FAILURE, EXIT_OK, usageError, type CliContext, type CliIo, type ExitCode } from '../io.js';
import { addPoliciesOption, DEFAULT_POLICIES, displayPath, loadPolicyForCli } from '../policy.js';
import { failureSummary, formatProblems } from '../problems.js';

/** Beside the bundle `build` writes for the same policy. */
export const DEFAULT_REPORT = 'dist/access-report.html';

export interface ReportOptions {
  readonly policies?: string;
  readonly out?: string;
  readonly bundle?: string;
}

export function registerReport(program: Command, ctx: CliContext): void {
  const command = program
    .command('report')
    .description('write a self-contained HTML access report: routes × test principals, requirements in words, coverage')
    .option('--out <file>', `HTML file to write (default: ${DEFAULT_REPORT} beside the policy file)`)
    .option('--bundle <file>', 'decide with this built bundle instead of building one from the policy in memory');
  addPoliciesOption(command).action(async (options: ReportOptions) => {
    ctx.exitCode = await runReport(ctx.io, options);
  });
}

export async function runReport(io: CliIo, options: ReportOptions): Promise<ExitCode> {
  const entryFile = resolve(io.cwd, options.policies ?? DEFAULT_POLICIES);
  const policy = await loadPolicyForCli(io, options.policies);
  if (policy.ok === 'usage') return usageError(io, policy.message);
  if (!policy.ok) {
    io.stderr.write(`${formatProblems(policy.errors)}\n${failureSummary(policy.errors, policy.warnings)}\n`);
    return EXIT_FAILURE;
  }
  const loaded = await loadSuites({ ir: policy.ir, entryFile, baseDir: io.cwd });
  if (!loaded.ok) {
    io.stderr.write(formatSuiteErrors(loaded.errors));
    return EXIT_FAILURE;
  }
  const engine = await engineForCli(io, policy.ir, options.bundle, 'to report on');
  if (typeof engine === 'number') return engine;
  const result = runSuites(policy.ir, loaded.suites, engine);
  const matrix = accessMatrix(policy.ir, result, engine, reviewPrincipals(loaded.principals, loaded.suites));
  const html = renderReport(matrix, { policyFiles: policy.files, suiteFiles: loaded.files, engine: engine.description, generatedAt: new Date() });
  const out = options.out === undefined ? join(dirname(entryFile), DEFAULT_REPORT) : resolve(io.cwd, options.out);
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, html);
  } catch (cause) {
    return usageError(io, `cannot write ${displayPath(io, out)}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  const untested = matrix.routes.flatMap((r) => r.cells).filter((c) => c.verdict === 'untested').length;
  io.stdout.write(
    `✔ wrote ${displayPath(io, out)}: ${matrix.routes.length} routes × ${matrix.principals.length} principals (${untested} cells without a case), ` +
      `coverage ${matrix.coverage.covered}/${matrix.coverage.total}, ${result.passed} cases pass, ${result.failed + result.errors} fail\n`,
  );
  if (result.failed + result.errors > 0) {
    io.stderr.write(`claimguard report: ${result.failed + result.errors} case(s) fail; the report shows them (run claimguard test for details)\n`);
    return EXIT_FAILURE;
  }
  return EXIT_OK;
}
