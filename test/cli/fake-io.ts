// In-memory streams for running the CLI in-process.
import type { CliIo } from '../../src/cli/io.js';

export interface FakeIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
}

export interface FakeIoOptions {
  /** The environment the CLI sees (NO_COLOR, FORCE_COLOR…); empty unless given, never the test runner's. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Pretend stdout is a terminal. */
  readonly isTTY?: boolean;
  readonly signal?: AbortSignal;
}

export function fakeIo(cwd: string, stdin = '', options: FakeIoOptions = {}): FakeIo {
  let out = '';
  let err = '';
  return {
    cwd,
    stdout: { write: (s: string) => (out += s), isTTY: options.isTTY ?? false },
    stderr: { write: (s: string) => (err += s) },
    stdin: (async function* () {
      yield Buffer.from(stdin);
    })(),
    env: options.env ?? {},
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    out: () => out,
    err: () => err,
  };
}
