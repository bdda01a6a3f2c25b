// What a command may touch: streams and the working directory, passed in so tests can run the
// CLI in-process with fake streams, and nothing calls process.exit.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';

export interface TextOutput {
  write(chunk: string): unknown;
}

export interface CliIo {
  readonly stdout: TextOutput;
  readonly stderr: TextOutput;
  readonly stdin: AsyncIterable<string | Uint8Array>;
  readonly cwd: string;
}

/** Exit codes (DESIGN §6). */
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
