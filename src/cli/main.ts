// The CLI: `runCli(argv, io)` returns the exit code and never calls process.exit, so tests run it
// in-process. bin/claimguard.js only sets process.exitCode. Each command lives in commands/<name>.ts.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerBuild } from './commands/build.js';
import { registerCheck } from './commands/check.js';
import { registerDiff } from './commands/diff.js';
import { registerEval } from './commands/eval.js';
import { registerExplain } from './commands/explain.js';
import { registerExport } from './commands/export.js';
import { registerReport } from './commands/report.js';
import { registerRoutes } from './commands/routes.js';
import { registerTest } from './commands/test.js';
import { registerVerifyBundle } from './commands/verify-bundle.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliContext, type CliIo, type RegisterCommand } from './io.js';

export type { CliIo } from './io.js';

/** One line per command. */
const COMMANDS: readonly RegisterCommand[] = [
  registerCheck,
  registerBuild,
  registerTest,
  registerEval,
  registerExplain,
  registerDiff,
  registerReport,
  registerExport,
  registerRoutes,
  registerVerifyBundle,
];

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const ctx: CliContext = { io, exitCode: EXIT_OK };
  const program = new Command('claimguard')
    .description('Route claim policies: check, build, test, evaluate and review policies.yaml')
    .version(VERSION)
    // Settings below are inherited by every command registered afterwards.
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)');
  for (const register of COMMANDS) register(program, ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    // Help and --version exit 0; every other parse failure (unknown command or option, bad value) is usage.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`claimguard: internal error: ${detail}\n`);
    return EXIT_FAILURE;
  }
  return ctx.exitCode;
}
