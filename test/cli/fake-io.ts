// In-memory streams for running the CLI in-process.
import type { CliIo } from '../../src/cli/io.js';

export interface FakeIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
}

export function fakeIo(cwd: string, stdin = ''): FakeIo {
  let out = '';
  let err = '';
  return {
    cwd,
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin: (async function* () {
      yield Buffer.from(stdin);
    })(),
    out: () => out,
    err: () => err,
  };
}
