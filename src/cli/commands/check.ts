// `claimguard check`: load, validate and normalize the policy; report every problem.
import { Option, type Command } from 'commander';
import type { PolicyIR } from '../../policy/ir.js';
import { policyCounts } from '../../policy/stats.js';
import { EXIT_FAILURE, EXIT_OK, usageError, type CliContext, type CliIo, type ExitCode } from '../io.js';
import { annotation, problemAnnotation } from '../github.js';
import { addPoliciesOption, addStrictOption, loadPolicyForCli } from '../policy.js';
import { failureSummary, formatProblems } from '../problems.js';

export interface CheckOptions {
  readonly policies?: string;
  readonly format: 'pretty' | 'json' | 'github';
  readonly strict?: boolean;
}

export function registerCheck(program: Command, ctx: CliContext): void {
  const command = program
    .command('check')
    .description('validate the policy files and report every problem with file:line:col')
    .addOption(new Option('--format <format>', 'output format (github: workflow annotations)').choices(['pretty', 'json', 'github']).default('pretty'));
  addStrictOption(addPoliciesOption(command)).action(async (options: CheckOptions) => {
    ctx.exitCode = await runCheck(ctx.io, options);
  });
}

export async function runCheck(io: CliIo, options: CheckOptions): Promise<ExitCode> {
  const result = await loadPolicyForCli(io, options.policies, { strict: options.strict });
  if (result.ok === 'usage') return usageError(io, result.message);
  const errors = result.ok ? [] : result.errors;
  const { warnings } = result;

  if (options.format === 'github') {
    for (const p of [...errors, ...warnings]) io.stdout.write(problemAnnotation(p));
    if (!result.ok) io.stdout.write(annotation({ level: 'error', message: failureSummary(errors, warnings).replace(/^✖ /, '') }));
    return result.ok ? EXIT_OK : EXIT_FAILURE;
  }

  if (options.format === 'json') {
    const report = {
      ok: result.ok,
      files: result.ok ? result.files : [],
      errors: errors.map((e) => e.toJSON()),
      warnings: warnings.map((w) => w.toJSON()),
      routes: result.ok ? result.ir.routes.map((r) => r.key) : [],
    };
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return result.ok ? EXIT_OK : EXIT_FAILURE;
  }

  const problems = [...errors, ...warnings];
  if (problems.length > 0) io.stdout.write(`${formatProblems(problems)}\n`);
  if (!result.ok) {
    io.stdout.write(`${failureSummary(errors, warnings)}\n`);
    return EXIT_FAILURE;
  }
  const entry = result.files[0] ?? '';
  const warned = warnings.length === 0 ? '' : `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`;
  io.stdout.write(`✔ ${entry}: ${summary(result.ir)} (${result.files.length} file${result.files.length === 1 ? '' : 's'})${warned}\n`);
  return EXIT_OK;
}

/** `7 routes, 12 requirements`, counted as `build` counts them (src/policy/stats.ts). */
function summary(ir: PolicyIR): string {
  const { routes, requirements } = policyCounts(ir);
  return `${routes} route${routes === 1 ? '' : 's'}, ${requirements} requirement${requirements === 1 ? '' : 's'}`;
}
