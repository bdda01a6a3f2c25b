// `claimguard build`: check, then compile the policy into dist/bundle.tar.gz beside the policy
// file (OPA bundle layout), or --out.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { buildBundle } from '../../compile/compile.js';
import { EXIT_FAILURE, EXIT_OK, usageError, type CliContext, type CliIo, type ExitCode } from '../io.js';
import { addPoliciesOption, addStrictOption, defaultBundleFor, displayPath, loadPolicyForCli } from '../policy.js';
import { failureSummary, formatProblems } from '../problems.js';

/** Where `build` writes for the default policies.yaml. */
export const DEFAULT_BUNDLE = 'dist/bundle.tar.gz';

export interface BuildOptions {
  readonly policies?: string;
  /** Default: dist/bundle.tar.gz beside the policy file. */
  readonly out?: string;
  readonly strict?: boolean;
}

export function registerBuild(program: Command, ctx: CliContext): void {
  const command = program
    .command('build')
    .description('check the policy, then compile it into an OPA Wasm bundle')
    .option('--out <file>', `bundle to write (default: ${DEFAULT_BUNDLE} beside the policy file)`);
  addStrictOption(addPoliciesOption(command)).action(async (options: BuildOptions) => {
    ctx.exitCode = await runBuild(ctx.io, options);
  });
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;

export async function runBuild(io: CliIo, options: BuildOptions): Promise<ExitCode> {
  const started = performance.now();
  const result = await loadPolicyForCli(io, options.policies, { strict: options.strict });
  if (result.ok === 'usage') return usageError(io, result.message);
  if (result.warnings.length > 0) io.stderr.write(`${formatProblems(result.warnings)}\n`);
  if (!result.ok) {
    // A policy with errors is never compiled: there is no half-built bundle to deploy by mistake.
    io.stderr.write(`${formatProblems(result.errors)}\n${failureSummary(result.errors, result.warnings)}\n`);
    return EXIT_FAILURE;
  }
  const built = await buildBundle(result.ir);
  const out = options.out === undefined ? defaultBundleFor(io, options.policies) : resolve(io.cwd, options.out);
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, built.bytes);
  } catch (cause) {
    return usageError(io, `cannot write ${displayPath(io, out)}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  const { stats, revision } = built.compiled;
  const ms = performance.now() - started;
  io.stdout.write(
    [
      `✔ built ${displayPath(io, out)} in ${ms.toFixed(0)} ms`,
      `  policy       ${result.files.join(', ')}`,
      `  written to   ${out}`,
      `  routes       ${stats.routes} (${stats.publicRoutes} public)`,
      `  requirements ${stats.requirements}`,
      `  policy.wasm  ${kb(stats.moduleBytes)} (route table ${kb(stats.tableBytes)})`,
      `  bundle       ${kb(built.bytes.length)}`,
      `  revision     ${revision}`,
      `  entrypoints  claimguard/decision, claimguard/allow`,
      '',
    ].join('\n'),
  );
  return EXIT_OK;
}
