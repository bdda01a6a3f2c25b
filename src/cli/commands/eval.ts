// `claimguard eval --input FILE|-`: print the decision for one input document (docs/decision.md).
// The decision comes from the compiled policy.wasm through the OPA SDK, exactly as the Lambda
// gets it: from `--bundle FILE`, or from a bundle built in memory from the policy.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { buildBundle } from '../../compile/compile.js';
import { loadBundle } from '../../runtime/load-bundle.js';
import { RuntimeError } from '../../runtime/errors.js';
import { EXIT_FAILURE, EXIT_OK, usageError, type CliContext, type CliIo, type ExitCode } from '../io.js';
import { addPoliciesOption, loadPolicyForCli } from '../policy.js';
import { failureSummary, formatProblems } from '../problems.js';

export interface EvalOptions {
  readonly input: string;
  readonly policies?: string;
  readonly bundle?: string;
  readonly failOnDeny?: boolean;
}

export function registerEval(program: Command, ctx: CliContext): void {
  const command = program
    .command('eval')
    .description('print the decision JSON for one input document')
    .requiredOption('--input <file>', 'input document (JSON); "-" reads stdin')
    .option('--bundle <file>', 'decide with this built bundle instead of compiling the policy')
    .option('--fail-on-deny', 'exit 1 when the decision is a deny');
  addPoliciesOption(command).action(async (options: EvalOptions) => {
    ctx.exitCode = await runEval(ctx.io, options);
  });
}

export async function runEval(io: CliIo, options: EvalOptions): Promise<ExitCode> {
  let text: string;
  try {
    text = options.input === '-' ? await readAll(io.stdin) : await readFile(resolve(io.cwd, options.input), 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    return usageError(io, `cannot read input ${options.input}${code === undefined ? '' : ` (${code})`}`);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    return usageError(io, `input ${options.input === '-' ? '(stdin)' : options.input} is not valid JSON: ${why}`);
  }

  let bundle: Uint8Array | string;
  if (options.bundle !== undefined) {
    bundle = resolve(io.cwd, options.bundle);
  } else {
    const result = await loadPolicyForCli(io, options.policies);
    if (result.ok === 'usage') return usageError(io, result.message);
    if (!result.ok) {
      io.stderr.write(`${formatProblems(result.errors)}\n${failureSummary(result.errors, result.warnings)}\n`);
      return EXIT_FAILURE;
    }
    bundle = (await buildBundle(result.ir)).bytes;
  }
  let allow: boolean;
  try {
    // Like `opa eval`, a development tool: a signed bundle's signature is not checked here.
    const authorizer = await loadBundle(bundle, { skipVerification: true });
    const decision = authorizer.decide(input);
    allow = decision.allow;
    io.stdout.write(`${JSON.stringify(decision, null, 2)}\n`);
  } catch (error) {
    if (!(error instanceof RuntimeError)) throw error;
    // A bundle file that is not there is I/O; one that is there but broken is a finding.
    if (error.code === 'BUNDLE_NOT_FOUND') return usageError(io, `${error.code}: ${error.message}`);
    io.stderr.write(`claimguard: ${error.code}: ${error.message}\n`);
    return EXIT_FAILURE;
  }
  return options.failOnDeny === true && !allow ? EXIT_FAILURE : EXIT_OK;
}

async function readAll(stream: AsyncIterable<string | Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
