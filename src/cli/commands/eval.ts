// `claimguard eval --input FILE|-`: print the decision for one input document (DESIGN §3).
// Uses the reference evaluator for now; the wasm bundle replaces it once `build` exists.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { decide } from '../../decision/evaluate.js';
import { EXIT_FAILURE, EXIT_OK, usageError, type CliContext, type CliIo, type ExitCode } from '../io.js';
import { addPoliciesOption, loadPolicyForCli } from '../policy.js';
import { failureSummary, formatProblems } from '../report.js';

export interface EvalOptions {
  readonly input: string;
  readonly policies?: string;
}

export function registerEval(program: Command, ctx: CliContext): void {
  const command = program
    .command('eval')
    .description('print the decision JSON for one input document')
    .requiredOption('--input <file>', 'input document (JSON); "-" reads stdin');
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

  const result = await loadPolicyForCli(io, options.policies);
  if (result.ok === 'usage') return usageError(io, result.message);
  if (!result.ok) {
    io.stderr.write(`${formatProblems(result.errors)}\n${failureSummary(result.errors, result.warnings)}\n`);
    return EXIT_FAILURE;
  }
  io.stdout.write(`${JSON.stringify(decide(result.ir, input), null, 2)}\n`);
  return EXIT_OK;
}

async function readAll(stream: AsyncIterable<string | Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
