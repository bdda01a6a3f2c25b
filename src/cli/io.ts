// What a command may touch: streams and the working directory, passed in so tests can run the
// CLI in-process with fake streams, and nothing calls process.exit.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';

export interface TextOutput {
  write(chunk: string): unknown;
  /** True for a terminal (process.stdout has it): colours are on by default only there. */
  readonly isTTY?: boolean;
}

export interface CliIo {
  readonly stdout: TextOutput;
  readonly stderr: TextOutput;
  readonly stdin: AsyncIterable<string | Uint8Array>;
  readonly cwd: string;
  /** Environment (NO_COLOR, FORCE_COLOR); process.env when absent. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Ends long-running commands (`test --watch`); bin/claimguard.js aborts it on SIGINT/SIGTERM. */
  readonly signal?: AbortSignal;
}

/**
 * The one exit-code rule of every command (docs/review.md, README): 0 ok; 1 findings (an invalid
 * policy or suite, a failing case, coverage below the minimum, a warning under --strict, a deny
 * with eval --fail-on-deny, a loosening with diff --fail-on); 2 usage or I/O errors.
 */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export type ExitCode = typeof EXIT_OK | typeof EXIT_FAILURE | typeof EXIT_USAGE;

export interface CliContext {
  readonly io: CliIo;
  /** Set by the command's action; runCli returns it. */
  exitCode: ExitCode;
}

/** Each `src/cli/commands/<name>.ts` exports one of these; main.ts lists them. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;

/** A usage error: message to stderr, exit 2. */
export function usageError(io: CliIo, message: string): ExitCode {
  io.stderr.write(`claimguard: ${message}\n`);
  return EXIT_USAGE;
}

/** Reads a key file (relative to the working directory); an unreadable one is a usage problem. */
export async function readKeyFile(io: CliIo, file: string, what: string): Promise<{ bytes: Uint8Array } | { usage: string }> {
  try {
    return { bytes: await readFile(resolve(io.cwd, file)) };
  } catch (cause) {
    return { usage: `cannot read ${what} ${file} (${(cause as NodeJS.ErrnoException).code ?? String(cause)})` };
  }
}
